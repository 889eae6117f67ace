/**
 * Runs once before the specs: checks that the packages are built and the browsers are there,
 * builds the fixture apps with Vite, serves each with `vite preview` on a free port, and starts
 * the chaos server on another port (so every request from a page is cross-origin). The URLs reach
 * the specs (and, through them, the pages) as environment variables; see `specs/fixtures.ts`.
 *
 * Everything runs in this process through Vite's and the chaos server's JS APIs, and the returned
 * teardown closes it all: no stray processes, nothing to kill by name.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FullConfig } from '@playwright/test'
import { build, preview, type PreviewServer } from 'vite'
import { resolveBrowsers } from './browsers.js'
import { APPS, ENV, isWebKitRun, type AppName } from './env.js'
import { findWebKitDriver, WEBKIT_INSTALL_HELP } from './webkit/webdriver.js'

const here = dirname(fileURLToPath(import.meta.url))
/** Setup notes go to stderr, so a reporter writing to stdout (`--reporter=json`) stays parseable. */
const note = (line: string): void => void process.stderr.write(`${line}\n`)
const repo = join(here, '..')

/** The built files the apps and this setup need; absent ones mean `npm run build` has not run. */
const REQUIRED_BUILDS = [
  'packages/volley/dist/browser.js',
  'packages/browser/dist/index.js',
  'packages/core/dist/index.js',
  'packages/chaos-server/dist/index.js',
]

function assertPackagesBuilt(): void {
  const missing = REQUIRED_BUILDS.filter((file) => !existsSync(join(repo, file)))
  if (missing.length > 0) {
    throw new Error(
      `volley e2e: the packages are not built (missing ${missing.join(', ')}).\n` +
        'The fixture apps import `volley` as users install it, from packages/volley/dist. Run `npm run build` at the repository root first.',
    )
  }
}

/** Newest modification time (ms) of the files under `dir`. */
function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return latest
}

/** A dist older than its src means the apps would test yesterday's code: say so (CI builds first). */
function warnIfStale(): void {
  const stale = ['core', 'browser', 'volley'].filter((name) => {
    const src = join(repo, 'packages', name, 'src')
    return existsSync(src) && newest(src) > statSync(join(repo, 'packages', name, 'dist', 'index.js')).mtimeMs
  })
  if (stale.length > 0) note(`volley e2e: WARNING packages/{${stale.join(',')}}/src changed after the last build; run \`npm run build\` to test the current code`)
}

async function buildApp(app: AppName): Promise<void> {
  const root = join(here, 'apps', app)
  await build({ root, configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' })
}

async function serveApp(app: AppName): Promise<{ server: PreviewServer; url: string }> {
  const root = join(here, 'apps', app)
  const server = await preview({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
  const address = server.httpServer.address()
  if (!address || typeof address === 'string') throw new Error(`volley e2e: the ${app} preview server has no TCP address`)
  return { server, url: `http://127.0.0.1:${address.port}` }
}

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  assertPackagesBuilt()
  warnIfStale()
  if (isWebKitRun()) {
    const driver = findWebKitDriver()
    if ('missing' in driver) throw new Error(`volley e2e: cannot run, WebKit is missing: ${driver.missing}\n${WEBKIT_INSTALL_HELP}`)
    note(`volley e2e: webkit ${driver.path} (WebDriver classic, MiniBrowser under Xvfb)`)
  } else {
    for (const browser of Object.values(resolveBrowsers())) {
      const how = browser.channel ? `, channel ${browser.channel} (WebDriver BiDi)` : ''
      note(`volley e2e: ${browser.name} ${browser.executablePath} (${browser.source}${how})`)
    }
  }

  const started = performance.now()
  await Promise.all(APPS.map(buildApp))
  note(`volley e2e: built ${APPS.map((app) => relative(repo, join(here, 'apps', app))).join(', ')} in ${Math.round(performance.now() - started)} ms`)

  // Imported only now: before `npm run build` it would fail with a bare "Cannot find module".
  const { startChaosServer } = await import('@volley/chaos-server')
  const chaos = await startChaosServer({ port: 0 })
  const served: PreviewServer[] = []
  const teardown = async (): Promise<void> => {
    await Promise.all(served.map((server) => server.close()))
    await chaos.close()
  }
  try {
    for (const app of APPS) {
      const { server, url } = await serveApp(app)
      served.push(server)
      process.env[ENV.app[app]] = url
    }
  } catch (error) {
    await teardown()
    throw error
  }
  process.env[ENV.chaos] = chaos.url
  note(`volley e2e: chaos server ${chaos.url}; apps ${APPS.map((app) => `${app} ${process.env[ENV.app[app]]}`).join(', ')}`)
  return teardown
}
