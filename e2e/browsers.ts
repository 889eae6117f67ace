/**
 * Finds the browsers the e2e suite runs in. For each browser, in order:
 *
 * 1. an environment override: `VOLLEY_CHROMIUM` / `VOLLEY_FIREFOX` (a path to the executable);
 * 2. the system's: `/usr/bin/chromium` (then `chromium-browser`, `google-chrome`) and
 *    `/usr/bin/firefox-esr` (then `firefox`);
 * 3. Playwright's own build, where `npx playwright install` put one.
 *
 * A system Firefox is driven over WebDriver BiDi (the `moz-firefox` channel); Playwright's own
 * Firefox is its patched build, driven without a channel. When a browser is found nowhere, the
 * error says how to install one (see `e2e/README.md`), instead of Playwright's "Executable doesn't
 * exist" from deep inside a worker.
 */
import { existsSync } from 'node:fs'
import { chromium, firefox, type LaunchOptions } from '@playwright/test'

/** The browsers the suite runs in (one Playwright project each). */
export type BrowserName = 'chromium' | 'firefox'

/** Where a browser came from, for the report line printed at start-up. */
export type BrowserSource = 'env' | 'system' | 'playwright'

/** A browser that was found, with what Playwright needs to launch it. */
export interface FoundBrowser {
  readonly name: BrowserName
  readonly source: BrowserSource
  readonly executablePath: string
  /** `'moz-firefox'` for a system Firefox (WebDriver BiDi); undefined otherwise. */
  readonly channel: string | undefined
  readonly launchOptions: LaunchOptions
}

const ENV: Record<BrowserName, string> = { chromium: 'VOLLEY_CHROMIUM', firefox: 'VOLLEY_FIREFOX' }

const SYSTEM: Record<BrowserName, readonly string[]> = {
  chromium: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
}

/**
 * Chromium flags for containers and CI: no sandbox (we often run as root), no GPU, no QUIC (the
 * chaos server speaks HTTP/1.1 only), and none of the background traffic a first run starts.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const

/** Playwright's own executable for `name`, when `npx playwright install` downloaded it. */
function playwrightOwn(name: BrowserName): string | undefined {
  try {
    const path = (name === 'chromium' ? chromium : firefox).executablePath()
    return path && existsSync(path) ? path : undefined
  } catch {
    return undefined // this Playwright has no build registered for the platform
  }
}

function locate(name: BrowserName, env: NodeJS.ProcessEnv): { path: string; source: BrowserSource } | string {
  const override = env[ENV[name]]
  if (override) {
    // An explicit choice that is wrong is an error, not a reason to quietly pick another browser.
    return existsSync(override) ? { path: override, source: 'env' } : `${ENV[name]}=${override} does not exist`
  }
  const system = SYSTEM[name].find((path) => existsSync(path))
  if (system) return { path: system, source: 'system' }
  const own = playwrightOwn(name)
  if (own) return { path: own, source: 'playwright' }
  return `no ${name} found (looked at $${ENV[name]}, ${SYSTEM[name].join(', ')} and Playwright's own)`
}

function describe(name: BrowserName, path: string, source: BrowserSource): FoundBrowser {
  if (name === 'chromium') {
    return { name, source, executablePath: path, channel: undefined, launchOptions: { executablePath: path, args: [...CHROMIUM_ARGS] } }
  }
  // A stock Firefox speaks WebDriver BiDi only; Playwright's own Firefox is its patched (Juggler) build.
  const channel = source === 'playwright' ? undefined : 'moz-firefox'
  return { name, source, executablePath: path, channel, launchOptions: { executablePath: path } }
}

/** How to get the missing browsers, as shown when one is not found. */
export function installHelp(missing: readonly string[]): string {
  return [
    'volley e2e: cannot run, a browser is missing:',
    ...missing.map((line) => `  - ${line}`),
    '',
    'Install one of these, then run the suite again:',
    '  - Debian/Ubuntu (as root): bash e2e/install-browsers.sh   (apt-get install chromium firefox-esr)',
    "  - Playwright's builds:     npx playwright install chromium firefox",
    '  - or point to an executable: VOLLEY_CHROMIUM=/path/to/chrome VOLLEY_FIREFOX=/path/to/firefox',
    'See e2e/README.md ("How browsers are found").',
  ].join('\n')
}

/**
 * Resolves every browser, or throws one error that lists what is missing and how to install it.
 *
 * @example
 * const { chromium, firefox } = resolveBrowsers()
 * chromium.launchOptions // { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', ...] }
 * firefox.channel // 'moz-firefox'
 */
export function resolveBrowsers(env: NodeJS.ProcessEnv = process.env): Record<BrowserName, FoundBrowser> {
  const names: readonly BrowserName[] = ['chromium', 'firefox']
  const found: Partial<Record<BrowserName, FoundBrowser>> = {}
  const missing: string[] = []
  for (const name of names) {
    const result = locate(name, env)
    if (typeof result === 'string') missing.push(result)
    else found[name] = describe(name, result.path, result.source)
  }
  if (missing.length > 0 || !found.chromium || !found.firefox) throw new Error(installHelp(missing))
  return { chromium: found.chromium, firefox: found.firefox }
}
