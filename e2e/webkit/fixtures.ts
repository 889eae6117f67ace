/**
 * The WebKit engine for the specs' test object: `page` is a {@link WebKitPage} on a WebDriver
 * session that the worker keeps across its tests (a session costs about a second; a test then
 * only navigates). A test that did not pass gets the session replaced, so that nothing it left
 * behind (a script still running, a hung page) reaches the next test. `context` exists only to
 * fail clearly: WebDriver classic cannot emulate the network (see e2e/README.md, "WebKit").
 */
import { test, type BrowserContext, type Page } from '@playwright/test'
import { WebKitPage } from './page.js'
import { startWebKitSession, startXvfb, type WebKitSession } from './webdriver.js'

/** The worker's session, replaced after a test that failed. */
interface SessionHolder {
  current: WebKitSession
  replace(): Promise<void>
}

/** Playwright's `test` with `page` (and `context`) served by WebKit over WebDriver instead of a Playwright browser. */
export const webkitTest = test.extend<{ page: Page; context: BrowserContext }, { webkitSession: SessionHolder }>({
  webkitSession: [
    async ({}, use) => {
      // A display of its own: the worker's window is then the only one on it, and the active one,
      // as the window a person types into is (WebKit treats an inactive window differently: no
      // document.hasFocus(), no pointermove for a page scrolled under a resting pointer).
      const display = await startXvfb()
      try {
        const holder: SessionHolder = {
          current: await startWebKitSession(display.name),
          async replace() {
            await holder.current.close()
            holder.current = await startWebKitSession(display.name)
          },
        }
        await use(holder)
        await holder.current.close()
      } finally {
        await display.stop()
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  page: async ({ webkitSession }, use, testInfo) => {
    const page = new WebKitPage(webkitSession.current.driver)
    await use(page as unknown as Page)
    if (testInfo.status === testInfo.expectedStatus && (testInfo.status === 'passed' || testInfo.status === 'skipped')) {
      await page.reset()
      return
    }
    // Kept as Playwright's `screenshot: 'on'` would, for a test that went wrong.
    await page.screenshot({ path: testInfo.outputPath('test-failed.png') }).catch(() => undefined)
    await webkitSession.replace()
  },

  context: async ({}, use) => {
    const unsupported = (name: string) => () => {
      throw new Error(`volley e2e (WebKit): context.${name}() is not available over WebDriver classic; skip the test in WebKit (see e2e/README.md)`)
    }
    await use({ setOffline: unsupported('setOffline') } as unknown as BrowserContext)
  },
}) as unknown as typeof test
