/**
 * The scenarios the React and Vue apps share, driven through their buttons as a user would:
 * - a component that loads on mount shows its data; unmounted mid-request, it aborts the request
 *   (the server sees the connection close), never updates state afterwards and logs no error;
 * - a progress bar follows a download to 100%.
 * A screenshot of the app after each scenario is attached to the test (test-results/).
 */
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.js'

interface Options {
  app: 'react' | 'vue'
  /** The event the app logs when the component's effect/scope is cleaned up. */
  cleanup: string
  /** The prefix the app logs if a state update ever happens after cleanup. */
  lateUpdate: string
}

async function events(page: Page): Promise<string[]> {
  return page.getByRole('list', { name: 'events' }).getByRole('listitem').allTextContents()
}

async function screenshot(page: Page, name: string): Promise<void> {
  const info = test.info()
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true })
  await info.attach(name, { path: info.outputPath(`${name}.png`), contentType: 'image/png' })
}

export function frameworkScenarios(options: Options): void {
  const { app } = options

  test.describe(`${app} app`, () => {
    test('a component loads on mount, and aborts its request on unmount', async ({ page, openApp, chaos, key, consoleErrors }) => {
      await openApp(app, { key })

      // Loads on mount and renders the data.
      await page.getByRole('button', { name: 'Show profile', exact: true }).click()
      await expect(page.getByTestId('profile')).toHaveText('Hello, world (b)')
      await page.getByRole('button', { name: 'Hide profile' }).click()

      // Mounted again on an endpoint the server holds for 60 s, then unmounted while it waits.
      await page.getByRole('button', { name: 'Show slow profile' }).click()
      await expect(page.getByText('Loading profile…')).toBeVisible()
      await expect.poll(async () => (await chaos.concurrency(key)).current, { message: 'the server holds the request' }).toBe(1)
      await page.getByRole('button', { name: 'Hide profile' }).click()
      await expect(page.getByText('Loading profile…')).toBeHidden()

      // The browser dropped the connection: the server no longer holds it.
      await expect.poll(async () => (await chaos.concurrency(key)).current, { message: 'the server saw the abort' }).toBe(0)
      await expect.poll(() => events(page)).toContain('aborted (component unmounted)')
      expect(await events(page)).toEqual([
        'request: /json',
        'state: done',
        options.cleanup,
        `request: /concurrency?ms=60000&key=${key}`,
        options.cleanup,
        'aborted (component unmounted)',
      ])
      expect((await events(page)).filter((event) => event.startsWith(options.lateUpdate))).toEqual([])
      expect(consoleErrors).toEqual([])
      await screenshot(page, `${app}-abort-on-unmount`)
    })

    test('a progress bar renders the download to 100%', async ({ page, openApp, consoleErrors }) => {
      await openApp(app)
      const bar = page.getByRole('progressbar', { name: 'download progress' })
      await expect(bar).toHaveJSProperty('value', 0)
      await page.getByRole('button', { name: 'Download' }).click()
      await expect(page.getByTestId('download-result')).toHaveText('400000 bytes')
      await expect(bar).toHaveJSProperty('value', 100)
      await expect(page.getByRole('status', { name: 'percent' }).or(page.getByLabel('percent'))).toHaveText(/100%/)

      const rendered = (await events(page)).filter((event) => event.startsWith('progress: ')).map((event) => Number(event.slice(10)))
      expect(rendered, 'the bar only moves forward').toEqual([...rendered].sort((a, b) => a - b))
      expect(rendered.at(-1)).toBe(100)
      // The body dripped over ~1 s: the bar showed intermediate values, not only 0 and 100.
      expect(rendered.some((percent) => percent > 0 && percent < 100)).toBe(true)
      expect(consoleErrors).toEqual([])
      await screenshot(page, `${app}-download-progress`)
    })
  })
}
