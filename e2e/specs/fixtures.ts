/**
 * The specs' test object: Playwright's, plus
 * - `key`: a chaos-server key unique to this test and browser (tests run in parallel on one server);
 * - `chaos`: the chaos server's URL and its stats, read from Node over `GET /__stats`;
 * - `vanilla`: the vanilla app opened in the page, with `run(name, args)` to call a scenario;
 * - `openApp(app, params)`: opens the React or Vue app;
 * - `consoleErrors`: console errors the page logged (the React and Vue specs expect none);
 * and an automatic check that no page threw an uncaught error or an unhandled rejection.
 *
 * In the WebKit run (playwright.webkit.config.ts), `page` is WebKit driven over WebDriver, behind
 * the same API (e2e/webkit/); the specs do not change.
 */
import { test as playwrightTest, expect, type Page } from '@playwright/test'
import { ENV, isWebKitRun, serverUrl, type AppName } from '../env.js'
import { webkitTest } from '../webkit/fixtures.js'
import { flushPageReports } from '../webkit/page.js'
import type { ScenarioName, Scenarios } from '../apps/vanilla/src/scenarios/index.js'

export { expect }

/** One request as the chaos server recorded it. */
export interface Hit {
  route: string
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  /** Arrival time, epoch ms with sub-ms precision. */
  time: number
}

/** The chaos server, seen from a spec. */
export interface Chaos {
  readonly url: string
  /** Recorded hits of `route` whose `key` query parameter is `key`, oldest first. */
  hits(route: string, key: string): Promise<Hit[]>
  /** `/concurrency` bookkeeping of `key`. */
  concurrency(key: string): Promise<{ current: number; max: number }>
}

/**
 * Firefox logs "Failed to read data from the ReadableStream: <reason>" as a page error whenever a
 * `new Response(stream)` body it is reading errors (FetchStreamReader's console report). It is a
 * console report, not an exception: the page handles the rejection (the scenario returns the
 * TimeoutError). volley wraps response bodies to time them, so every body that times out or is
 * aborted mid-way shows this in Firefox's console.
 */
const FIREFOX_STREAM_REPORT = /^Failed to read data from the ReadableStream: “.*(timeout of \d+ ms exceeded|aborted).*”\.$/

type ScenarioArgs<N extends ScenarioName> = Parameters<Scenarios[N]>
type ScenarioResult<N extends ScenarioName> = Awaited<ReturnType<Scenarios[N]>>

/** The vanilla app in the test's page. */
export interface VanillaApp {
  readonly page: Page
  /** Runs `window.volleyScenarios[name](args)` in the page and resolves with its result. */
  run<N extends ScenarioName>(name: N, ...args: ScenarioArgs<N>): Promise<ScenarioResult<N>>
}

interface StatsBody {
  hits: Hit[]
  concurrency: { current: number; max: number }
}

async function stats(url: string, query: Record<string, string>): Promise<StatsBody> {
  const response = await fetch(`${url}/__stats?${new URLSearchParams(query)}`)
  if (!response.ok) throw new Error(`GET /__stats answered ${response.status}`)
  return (await response.json()) as StatsBody
}

/** Opens `app` with the chaos server's URL (and `params`) in the query, and waits until it is ready. */
async function open(page: Page, app: AppName, params: Record<string, string>): Promise<void> {
  const query = new URLSearchParams({ chaos: serverUrl(ENV.chaos), ...params })
  const url = `${serverUrl(ENV.app[app])}/?${query}`
  const response = await page.goto(url)
  await expect(page.locator('html[data-ready="true"]'), `the ${app} app at ${url} (HTTP ${response?.status()}) to be ready; the page is at ${page.url()}`).toBeAttached()
}

const base = isWebKitRun() ? webkitTest : playwrightTest

export const test = base.extend<{
  key: string
  chaos: Chaos
  vanilla: VanillaApp
  openApp: (app: Exclude<AppName, 'vanilla'>, params?: Record<string, string>) => Promise<void>
  consoleErrors: string[]
  noPageErrors: void
}>({
  key: async ({}, use, testInfo) => {
    const slug = testInfo.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 40)
    await use(`${testInfo.project.name}-${slug}-${testInfo.testId.slice(0, 8)}-${testInfo.repeatEachIndex}`)
  },

  chaos: async ({}, use) => {
    const url = serverUrl(ENV.chaos)
    await use({
      url,
      hits: async (route, key) => (await stats(url, { route })).hits.filter((hit) => hit.query.key === key),
      concurrency: async (key) => (await stats(url, { route: 'concurrency', key })).concurrency,
    })
  },

  vanilla: async ({ page }, use) => {
    await open(page, 'vanilla', {})
    await use({
      page,
      run: <N extends ScenarioName>(name: N, ...args: ScenarioArgs<N>) =>
        page.evaluate(
          ([scenario, arg]) => {
            const run = (window as unknown as { volleyScenarios: Record<string, (arg: unknown) => Promise<unknown>> }).volleyScenarios[scenario]
            if (!run) throw new Error(`no scenario named ${scenario}`)
            return run(arg)
          },
          [name, args[0]] as const,
        ) as Promise<ScenarioResult<N>>,
    })
  },

  openApp: async ({ page }, use) => {
    await use((app, params = {}) => open(page, app, params))
  },

  consoleErrors: async ({ page }, use) => {
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`)
    })
    await use(errors)
  },

  noPageErrors: [
    async ({ page }, use) => {
      const errors: string[] = []
      page.on('pageerror', (error) => {
        const text = error.message ? `${error.name}: ${error.message}` : error.name
        if (!FIREFOX_STREAM_REPORT.test(text)) errors.push(text)
      })
      await use()
      await flushPageReports(page)
      // Unhandled rejections are page errors too, in every browser.
      expect(errors, 'uncaught errors or unhandled rejections in the page').toEqual([])
    },
    { auto: true },
  ],
})
