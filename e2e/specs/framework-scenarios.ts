/**
 * The scenarios the React and Vue apps share, driven through their buttons as a user would:
 * - a component that loads on mount shows its data; unmounted mid-request, it aborts the request
 *   (the server sees the connection close), never updates state afterwards and logs no error;
 * - a progress bar follows a download to 100%;
 * - with TanStack Query (`retry: false`, volley's signal from the `queryFn`): a query and a dependent
 *   one, refetch and unmount aborting at the server, exactly volley's attempts with volley's typed
 *   error on the query, pages of `map` under a pool, an upload mutation with progress, an
 *   infinite NDJSON feed.
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

    // volley fetches, retries and cancels; TanStack caches. Each test opens the app afresh, under its own key.
    test.describe('TanStack Query', () => {
      test('a query, and a dependent query that waits for its data', async ({ page, openApp, chaos, key, consoleErrors }) => {
        await openApp(app, { key })
        const tag = `${key}-tq`
        await page.getByRole('button', { name: 'Show query', exact: true }).click()
        await expect(page.getByTestId('tq-profile')).toHaveText('Hello, world')
        await expect(page.getByTestId('tq-dependent')).toHaveText('dependent: world')
        // The dependent query waited for the first one's data: one request each, in that order.
        const [profileHit, ...moreProfiles] = await chaos.hits('json', `${tag}-profile`)
        const [greetingHit, ...moreGreetings] = await chaos.hits('echo', `${tag}-profile`)
        expect([moreProfiles, moreGreetings]).toEqual([[], []])
        expect(greetingHit?.query.of).toBe('world')
        expect(greetingHit!.time).toBeGreaterThanOrEqual(profileHit!.time)
        expect(consoleErrors).toEqual([])
        await screenshot(page, `${app}-tanstack-dependent-query`)
      })

      test('refetching and unmounting abort the request at the server', async ({ page, openApp, chaos, key, consoleErrors }) => {
        await openApp(app, { key })
        // /tail?every=2 answers its odd requests at once and holds the even ones for a minute.
        const slow = `${key}-tq-slow`
        await page.getByRole('button', { name: 'Show slow query' }).click()
        await expect(page.getByTestId('tq-profile')).toHaveText('n: 1')
        // A refetch is held by the server; refetching again cancels it (the server sees the abort).
        await page.getByRole('button', { name: 'Refetch' }).click()
        await expect.poll(async () => (await chaos.concurrency(slow)).current, { message: 'the server holds the refetch' }).toBe(1)
        await page.getByRole('button', { name: 'Refetch' }).click()
        await expect(page.getByTestId('tq-profile')).toHaveText('n: 3')
        await expect.poll(async () => (await chaos.concurrency(slow)).current, { message: 'the held refetch was aborted' }).toBe(0)
        // Unmounting cancels a query in flight too.
        await page.getByRole('button', { name: 'Refetch' }).click()
        await expect.poll(async () => (await chaos.concurrency(slow)).current, { message: 'the server holds the query' }).toBe(1)
        await page.getByRole('button', { name: 'Hide query' }).click()
        await expect.poll(async () => (await chaos.concurrency(slow)).current, { message: 'the server saw the abort' }).toBe(0)
        // Four requests, none of them repeated by a retry: an abort is never retried.
        expect(await chaos.hits('tail', slow)).toHaveLength(4)
        expect(consoleErrors).toEqual([])
        await screenshot(page, `${app}-tanstack-abort`)
      })

      test("volley retries instead of TanStack, and the query gets volley's typed error", async ({ page, openApp, chaos, key, consoleErrors }) => {
        await openApp(app, { key })
        await page.getByRole('button', { name: 'Show failing query' }).click()
        // The page narrows query.error with isHTTPError and reads its code, status and attempts.
        await expect(page.getByTestId('tq-error')).toHaveText('HTTPError ERR_HTTP 503 after 3 attempts')
        // volley's 3 attempts (retry: { limit: 2 }) and no more: TanStack's retry is off.
        expect(await chaos.hits('flaky', `${key}-tq-failing`)).toHaveLength(3)
        // Chromium logs every 503 the failing query met ("Failed to load resource"); nothing else may show.
        expect(consoleErrors.filter((line) => !/status of 503 \(Service Unavailable\)/.test(line))).toEqual([])
        await screenshot(page, `${app}-tanstack-typed-error`)
      })

      test('a paginated list fetched with map under a pool of 2', async ({ page, openApp, chaos, key, consoleErrors }) => {
        await openApp(app, { key })
        const pages = `${key}-tq-pages`
        await expect(page.getByTestId('tq-page')).toHaveText('page 1: 1,2,3,4,5,6 (6 answers)')
        await page.getByRole('button', { name: 'Next page' }).click()
        await expect(page.getByTestId('tq-page')).toHaveText('page 2: 7,8,9,10,11,12 (6 answers)')
        expect(await chaos.hits('concurrency', pages)).toHaveLength(12)
        expect((await chaos.concurrency(pages)).max).toBe(2)
        expect(consoleErrors).toEqual([])
        await screenshot(page, `${app}-tanstack-pages`)
      })

      test('an upload mutation with progress, and an infinite NDJSON feed', async ({ page, openApp, chaos, key, consoleErrors }) => {
        await openApp(app, { key })
        const tag = `${key}-tq`
        // A mutation with upload progress (XHR through progress()).
        await page.getByRole('button', { name: 'Upload' }).click()
        await expect(page.getByTestId('tq-upload')).toHaveText('uploaded 300000 bytes')
        await expect(page.getByRole('progressbar', { name: 'upload progress' })).toHaveJSProperty('value', 100)
        const uploaded = (await events(page)).filter((event) => event.startsWith('upload: ')).map((event) => Number(event.slice(8)))
        expect(uploaded, 'upload progress only moves forward').toEqual([...uploaded].sort((a, b) => a - b))
        expect(uploaded.at(-1)).toBe(100)
        // One request (TanStack's mutation retry is off, and the upload client's too).
        expect(await chaos.hits('upload', `${tag}-upload`)).toHaveLength(1)

        // An infinite NDJSON feed, validated row by row, one request per page.
        await expect(page.getByTestId('tq-feed')).toHaveText('rows: 5')
        await page.getByRole('button', { name: 'Load more' }).click()
        await expect(page.getByTestId('tq-feed')).toHaveText('rows: 10')
        await page.getByRole('button', { name: 'Load more' }).click()
        await expect(page.getByTestId('tq-feed')).toHaveText('rows: 15 (end)')
        expect((await chaos.hits('ndjson', `${tag}-feed`)).map((hit) => hit.query.page)).toEqual(['0', '1', '2'])
        expect(consoleErrors).toEqual([])
        await screenshot(page, `${app}-tanstack-query`)
      })
    })
  })
}
