/**
 * The Vite playground (playground/), driven through its own UI as a person would: the builder's
 * labelled fields, the Ctrl+Enter shortcut, the timeline, the metrics and the log.
 *
 * Self-contained for its server: unlike the other specs it does not use global setup's servers.
 * Each worker starts the playground's dev server with Vite's JS API on a free port; the dev server
 * mounts the chaos routes under /chaos (same origin) and starts a cross-origin chaos server too.
 * The page imports the packages' src/ (the `@volley/source` condition), so no build is needed.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createServer, type ViteDevServer } from 'vite'
import type { Locator, Page } from '@playwright/test'
import { expect, test, type Hit } from './fixtures.js'

const CONFIG = fileURLToPath(new URL('../../playground/vite.config.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

let server: ViteDevServer | undefined
let origin = ''

test.beforeAll(async () => {
  // Starting Vite and pre-bundling the packages' dependencies takes a few seconds on a busy CI box.
  test.setTimeout(60_000)
  server = await createServer({ configFile: CONFIG, server: { port: 0, host: '127.0.0.1', strictPort: true }, logLevel: 'warn', clearScreen: false })
  await server.listen()
  const address = server.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('the playground dev server has no TCP address')
  origin = `http://127.0.0.1:${address.port}`
})

test.afterAll(async () => {
  await server?.close()
})

interface StatsBody {
  hits: Hit[]
  concurrency: { current: number; max: number }
}

/** What the chaos server mounted in the dev server saw, read from Node. */
async function serverStats(route: string, key: string): Promise<{ hits: Hit[]; max: number }> {
  const response = await fetch(`${origin}/chaos/__stats?${new URLSearchParams({ route, key })}`)
  expect(response.status).toBe(200)
  const body = (await response.json()) as StatsBody
  return { hits: body.hits.filter((hit) => hit.query.key === key), max: body.concurrency.max }
}

/**
 * Types a number into a number input. Firefox over WebDriver BiDi appends `fill()`'s text to a
 * number input's current value ("40" + "12" = "4012") instead of replacing it; clearing first
 * works in both browsers.
 */
async function setNumber(input: Locator, value: number): Promise<void> {
  await input.clear()
  await input.fill(String(value))
  await expect(input).toHaveValue(String(value))
}

/** The colour a CSS custom property of the page resolves to, as getComputedStyle writes colours. */
async function cssColour(page: Page, variable: string): Promise<string> {
  return page.evaluate((name) => {
    const probe = document.createElement('span')
    probe.style.color = `var(${name})`
    document.body.append(probe)
    const colour = getComputedStyle(probe).color
    probe.remove()
    return colour
  }, variable)
}

/** Runs the form as it stands (Ctrl+Enter) and waits until the run is over. */
async function runToEnd(page: Page, state: 'done' | 'stopped' = 'done'): Promise<Locator> {
  await page.keyboard.press('Control+Enter')
  const runState = page.getByTestId('run-state')
  await expect(runState).toHaveAttribute('data-state', state, { timeout: 30_000 })
  return runState
}

/** What the page showed in the task that said the run was over. */
interface ShownAtEnd {
  /** The metrics panel's cells, by `data-metric`. */
  metrics: Record<string, string>
  /** The timeline's settled rows. */
  settled: string
  download: { bar: string; text: string }
}

/**
 * Arms the page to copy its panels at the moment it says the run is over: in the task that sets
 * `data-state` to done or stopped, before any later animation frame could redraw them. Numbers
 * read that way are the ones a person sees beside "Done", however late the engine's next frame.
 * Returns the reader, to call once the run is over.
 */
async function watchRunEnd(page: Page): Promise<() => Promise<ShownAtEnd>> {
  await page.evaluate(() => {
    const state = document.querySelector('[data-testid="run-state"]') as HTMLElement
    const text = (selector: string): string => document.querySelector(selector)?.textContent ?? ''
    const observer = new MutationObserver(() => {
      if (state.dataset.state !== 'done' && state.dataset.state !== 'stopped') return
      observer.disconnect()
      const shown: ShownAtEnd = {
        metrics: Object.fromEntries([...document.querySelectorAll<HTMLElement>('[data-metric]')].map((cell) => [cell.dataset.metric, cell.textContent ?? ''])),
        settled: (document.querySelector('[data-testid="timeline"]') as HTMLElement).dataset.settled ?? '',
        download: { bar: document.querySelector('[data-testid="progress-download"]')?.getAttribute('aria-valuenow') ?? '', text: text('[data-testid="progress-download-text"]') },
      }
      ;(window as unknown as { shownAtEnd: ShownAtEnd }).shownAtEnd = shown
    })
    observer.observe(state, { attributes: true, attributeFilter: ['data-state'] })
  })
  return () => page.evaluate(() => (window as unknown as { shownAtEnd: ShownAtEnd }).shownAtEnd)
}

/**
 * The tooltip texts of every row's last two attempts, read by walking the timeline with the keyboard:
 * Home (row #1, whatever row a pointer resting over the chart had shown), then ↓ row by row.
 */
async function tooltips(page: Page, rows: number): Promise<string[]> {
  await page.getByTestId('timeline').focus()
  const tooltip = page.locator('#timeline-tooltip')
  const texts: string[] = []
  for (let i = 0; i < rows; i++) {
    await page.keyboard.press(i === 0 ? 'Home' : 'ArrowDown')
    await expect(tooltip).toContainText(`#${i + 1} `)
    const text = await tooltip.innerText()
    texts.push(text)
    // A retried row: the attempt before the last one too (← steps back an attempt).
    const [, shown, of] = /Attempt (\d+) of (\d+)/.exec(text) ?? []
    if (shown !== undefined && shown !== '1') {
      await page.keyboard.press('ArrowLeft')
      await expect(tooltip).toContainText(`Attempt ${Number(shown) - 1} of ${of}:`)
      texts.push(await tooltip.innerText())
    }
  }
  return texts
}

/** The centre of row `row` (from 1) of the timeline, in the viewport, after scrolling the chart into the middle of it. */
async function rowCentre(page: Page, row: number): Promise<{ x: number; y: number }> {
  return page.getByTestId('timeline').evaluate((canvas: HTMLCanvasElement, index) => {
    canvas.scrollIntoView({ block: 'center' })
    const box = canvas.getBoundingClientRect()
    const height = box.height / Number(canvas.dataset.rows)
    return { x: box.left + box.width / 2, y: box.top + (index - 0.5) * height }
  }, row)
}

test.describe('the playground', () => {
  // Every run takes about a second; a busy machine may need more for the first page load.
  test.describe.configure({ timeout: 60_000 })

  test.beforeEach(async ({ page }) => {
    await page.goto(`${origin}/`)
    await expect(page.locator('html[data-ready="true"]')).toBeAttached()
  })

  test('40 requests through a pool of 4: the timeline, the metrics and the server agree', async ({ page, key, consoleErrors }, testInfo) => {
    await page.getByLabel('Preset').selectOption('pool')
    await page.getByLabel('Server key').fill(key)
    await expect(page.getByLabel('How many requests')).toHaveValue('40')
    await expect(page.getByLabel('Concurrency')).toHaveValue('4')
    await expect(page.getByLabel('Route')).toHaveValue('concurrency')

    await page.keyboard.press('Control+Enter')
    const state = page.getByTestId('run-state')
    await expect(state).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
    await expect(state).toHaveAttribute('data-key', key)

    const timeline = page.getByTestId('timeline')
    await expect(timeline).toHaveAttribute('data-rows', '40')
    await expect(timeline).toHaveAttribute('data-settled', '40')

    const metric = (name: string) => page.locator(`[data-metric="${name}"]`)
    await expect(metric('calls')).toHaveText('40')
    await expect(metric('ok')).toHaveText('40')
    await expect(metric('attempts')).toHaveText('40')
    await expect(metric('retries')).toHaveText('0')
    await expect(metric('pool.maxActive')).toHaveText('4')
    await expect(metric('pool.active')).toHaveText('0 / 4')

    // The server's own count: every call arrived once, and the cap was reached but never passed.
    const stats = await serverStats('concurrency', key)
    expect(stats.hits).toHaveLength(40)
    expect(stats.max).toBe(4)
    // The page reads the same numbers back and shows them beside the client's.
    await expect(metric('server.hits')).toHaveText('40')
    await expect(metric('server.maxInFlight')).toHaveText('4')

    await expect(page.getByTestId('progress-requests')).toHaveAttribute('aria-valuenow', '100')
    expect(consoleErrors).toEqual([])
    await page.screenshot({ path: testInfo.outputPath('playground-pool.png'), fullPage: true })
  })

  test('secrets typed in the builder reach the log and the errors only as [REDACTED]', async ({ page, key }) => {
    const token = `tok-${key}`
    const apiKey = `apikey-${key}`
    await page.getByLabel('Route').selectOption('status')
    await setNumber(page.getByLabel('Status'), 401)
    await setNumber(page.getByLabel('How many requests'), 1)
    await page.getByLabel('Authorization header').fill(`Bearer ${token}`)
    await page.getByLabel('api_key query parameter').fill(apiKey)
    await page.getByRole('button', { name: /^Run/ }).click()
    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'done')

    const log = page.getByTestId('log')
    // The final error names the request with its api_key redacted; the headers line redacts Authorization.
    await expect(log).toContainText(/#1 failed after 1 attempt\(s\): GET http:\/\/127\.0\.0\.1:\d+\/chaos\/status\/401\?api_key=\[REDACTED\]/)
    await expect(log).toContainText('authorization=[REDACTED]')
    const text = await log.innerText()
    expect(text).not.toContain(token)
    expect(text).not.toContain(apiKey)

    // The timeline's tooltip (the attempt's error) is redacted too.
    await page.getByTestId('timeline').focus()
    await page.keyboard.press('ArrowDown')
    const tooltip = page.locator('#timeline-tooltip')
    await expect(tooltip).toBeVisible()
    await expect(tooltip).toContainText('401')
    await expect(tooltip).toContainText('api_key=[REDACTED]')
    expect(await tooltip.innerText()).not.toContain(apiKey)
  })

  test('cross-origin, a 429 is retried after the Retry-After the server sent', async ({ page, key }) => {
    await page.getByLabel(/^Cross-origin/).check()
    await page.getByLabel('Preset').selectOption('retry-after')
    await setNumber(page.getByLabel('How many requests'), 3)
    await page.getByLabel('Server key').fill(key)
    await page.keyboard.press('Control+Enter')
    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })

    await expect(page.locator('[data-metric="ok"]')).toHaveText('3')
    await expect(page.locator('[data-metric="retries"]')).toHaveText('3')
    // Retry-After crossed the origin boundary (the chaos server exposes it): volley waited as asked.
    await expect(page.getByTestId('log')).toContainText('retry 1 in 1000 ms after ERR_HTTP (server asked)')
    await expect(page.locator('[data-metric="server.hits"]')).toHaveText('6')
  })

  test('the status line is coloured by how the run went: green when all ok, amber when some failed, red when all failed', async ({ page }) => {
    const runState = page.getByTestId('run-state')
    await page.getByLabel('Route').selectOption('json')
    await setNumber(page.getByLabel('How many requests'), 2)
    await runToEnd(page)
    await expect(runState).toHaveText(/^Done: 2 ok, 0 failed in /)
    await expect(runState).toHaveAttribute('data-outcome', 'ok')
    await expect(runState).toHaveCSS('color', await cssColour(page, '--tl-ok'))

    // The server's bucket lets 2 of 5 through at once; without retries the other 3 fail with a 429.
    await page.getByLabel('Route').selectOption('rate-limited')
    await setNumber(page.getByLabel('Server limit'), 2)
    await setNumber(page.getByLabel('How many requests'), 5)
    await setNumber(page.getByLabel('Retries', { exact: true }), 0)
    await runToEnd(page)
    await expect(runState).toHaveText(/^Done: 2 ok, 3 failed in /)
    await expect(runState).toHaveAttribute('data-outcome', 'partial')
    await expect(runState).toHaveCSS('color', await cssColour(page, '--warn'))

    await page.getByLabel('Route').selectOption('status')
    await setNumber(page.getByLabel('Status', { exact: true }), 500)
    await setNumber(page.getByLabel('How many requests'), 3)
    await runToEnd(page)
    await expect(runState).toHaveText(/^Done: 0 ok, 3 failed in /)
    await expect(runState).toHaveAttribute('data-outcome', 'failed')
    await expect(runState).toHaveCSS('color', await cssColour(page, '--danger'))
  })

  test('Stop counts the calls it aborts as aborted, not failed, and leaves them out of the error rate', async ({ page }) => {
    await page.getByLabel('Route').selectOption('delay')
    await setNumber(page.getByLabel('Delay (ms)'), 20_000)
    await setNumber(page.getByLabel('How many requests'), 6)
    await page.keyboard.press('Control+Enter')
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-rows', '6')
    await page.getByRole('button', { name: /^Stop/ }).click()

    const runState = page.getByTestId('run-state')
    await expect(runState).toHaveAttribute('data-state', 'stopped')
    await expect(runState).toHaveText(/^Stopped: 0 ok, 0 failed, 6 aborted in /)
    await expect(runState).toHaveAttribute('data-outcome', 'stopped')
    await expect(page.locator('[data-metric="aborted"]')).toHaveText('6')
    await expect(page.locator('[data-metric="errorRate"]')).toHaveText('0%')
    await expect(page.getByTestId('log')).not.toContainText('failed after')
  })

  test('once every stalled call has failed, the progress shows no ETA, no full bar, and the bytes of the metrics', async ({ page }) => {
    await page.getByLabel('Preset').selectOption('stall')
    const runState = await runToEnd(page)
    await expect(runState).toHaveText(/^Done: 0 ok, 5 failed in /)
    const download = page.getByTestId('progress-download-text')
    await expect(download).toContainText('5 unfinished')
    await expect(download).not.toContainText('ETA')
    // 100 of 1,000,000 bytes per call: the bar is not drawn full over "0/5 done".
    await expect(download).toContainText('0/5 done · 5 unfinished · 500 B of 4.77 MiB')
    await expect(page.getByTestId('progress-download')).toHaveAttribute('aria-valuenow', '0')
    // Both attempts of each call moved 100 B: the progress and the metrics say the same 1000 B.
    await expect(page.locator('[data-metric="bytesIn"]')).toHaveText('1000 B')
    await expect(download).toContainText('1000 B over all attempts')
  })

  test('connections reset mid-body: the bar stays short of full, its bytes match the metrics, the outcomes add up', async ({ page }) => {
    await page.getByLabel('Preset').selectOption('reset')
    const shownAtEnd = await watchRunEnd(page)
    await runToEnd(page)
    // What the page showed beside "Done", in that same task: every one of the 10 calls settled.
    const { metrics, settled, download } = await shownAtEnd()
    expect(settled).toBe('10')
    expect(metrics.calls).toBe('10')
    expect(metrics.inFlight).toBe('0')
    // Every outcome has a row: they add up to the calls settled.
    const outcomes = ['ok', 'http', 'timeout', 'network', 'aborted', 'validation', 'other'].map((name) => Number(metrics[name]))
    expect(outcomes.reduce((sum, n) => sum + n, 0)).toBe(10)
    // No call's body came whole, so the bar is not full; what did come is the metrics' bytes in.
    expect(Number(download.bar)).toBeLessThan(100)
    const bytesIn = metrics.bytesIn!
    if (bytesIn !== '0 B') expect(download.text).toMatch(new RegExp(`(^| · )${bytesIn.replace('.', '\\.')}( of| over all attempts)`))
  })

  test('an SSE run counts its streams, not its reconnections: 3 of 3 settled, 0 failed, 0% errors', async ({ page }) => {
    await page.getByLabel('Preset').selectOption('sse')
    const runState = await runToEnd(page)
    await expect(runState).toHaveText(/^Done: 3 ok, 0 failed in /)
    await expect(page.getByTestId('progress-requests-text')).toHaveText('3 of 3 settled')
    const metric = (name: string) => page.locator(`[data-metric="${name}"]`)
    await expect(metric('errorRate')).toHaveText('0%')
    // The client's calls: the 3 streams plus one per drop they resumed.
    const calls = Number(await metric('calls').innerText())
    expect(Number(await metric('resumed').innerText())).toBe(calls - 3)
    // WebKit ends a stream whose connection drops between two events as if the server closed it
    // (e2e/README.md, per engine): nothing to resume there. Chromium and Firefox resume each drop.
    if (test.info().project.name !== 'webkit') expect(calls).toBeGreaterThan(3)
  })

  test('the legend has an entry for every colour a row is drawn in, the near-black ones included', async ({ page }) => {
    const legend = page.getByRole('list', { name: 'Legend' })
    for (const label of ['other error (not recognised, not retried)', 'validation failed', 'attempt starts', 'breaker open', 'breaker half-open']) await expect(legend).toContainText(label)
    // Every swatch is painted: none was left without a colour.
    const unpainted = await page.evaluate(() =>
      [...document.querySelectorAll('.legend .swatch')].filter((s) => getComputedStyle(s).backgroundColor === 'rgba(0, 0, 0, 0)').map((s) => s.className),
    )
    expect(unpainted).toEqual([])
    // The colours of the canvas that are drawn in rows, each with its swatch (grid, text, now and highlight are the page's).
    const missing = await page.evaluate(() => {
      const style = getComputedStyle(document.documentElement)
      const names = ['queued', 'token', 'flight', 'retry', 'offline', 'ok', 'http', 'timeout', 'network', 'aborted', 'validation', 'other', 'hedge', 'refused', 'open', 'halfOpen', 'tick']
      return names.filter((name) => style.getPropertyValue(`--tl-${name}`) && !document.querySelector(`.legend .swatch-${name}`))
    })
    expect(missing).toEqual([])
  })

  test('numbers the rows of a 60-row timeline', async ({ page }) => {
    await page.getByLabel('Route').selectOption('json')
    await setNumber(page.getByLabel('How many requests'), 60)
    await runToEnd(page)
    const timeline = page.getByTestId('timeline')
    await expect(timeline).toHaveAttribute('data-rows', '60')
    await expect(timeline).toHaveAttribute('data-row-label-step', '2')
    // Ink in the number column beside rows #1, #2, #4… and none beside #3 (every 2nd row is numbered).
    const inked = await timeline.evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
      const ratio = canvas.width / canvas.clientWidth
      const rowHeight = canvas.clientHeight / 60
      return [0, 1, 2, 3, 59].map((row) => {
        // A 3 px band through the row's middle: a 10 px number may reach into its neighbours' edges.
        const middle = (row + 0.5) * rowHeight
        const data = ctx.getImageData(0, Math.round((middle - 1.5) * ratio), Math.round(30 * ratio), Math.max(1, Math.round(3 * ratio))).data
        let ink = 0
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++
        return ink > 0
      })
    })
    expect(inked).toEqual([true, true, false, true, true])
  })

  test('hedging under a latency tail: the hedges are counted in the metrics and seen by the server', async ({ page, key }) => {
    await page.getByLabel('Preset').selectOption('hedge')
    await page.getByLabel('Server key').fill(key)
    await runToEnd(page)
    const hedges = Number(await page.getByTestId('timeline').getAttribute('data-hedges'))
    expect(hedges).toBeGreaterThanOrEqual(1)
    // The metrics count the hedges the timeline marks.
    await expect(page.locator('[data-metric="hedges"]')).toHaveText(String(hedges))
    await expect(page.locator('[data-metric="refused"]')).toHaveText('0')
    // "Server saw" is the chaos server's own count, shown beside the client's to compare: every
    // call once, and at most one more per hedge (a hedge cut short by the winner may never arrive).
    const hits = (await serverStats('tail', key)).hits.length
    await expect(page.locator('[data-metric="server.hits"]')).toHaveText(String(hits))
    expect(hits).toBeGreaterThanOrEqual(20)
    expect(hits).toBeLessThanOrEqual(20 + hedges)
    // Attempts count what was handed to the transport, and hedges stay within the browser's
    // connections per host: the client's count is the server's.
    await expect(page.locator('[data-metric="attempts"]')).toHaveText(String(hits))
  })

  test('a breaker preset long enough to see half-open: it opens, probes, and closes', async ({ page, key }) => {
    await page.getByLabel('Preset').selectOption('breaker')
    await page.getByLabel('Server key').fill(key)
    await runToEnd(page)
    const timeline = page.getByTestId('timeline')
    await expect(timeline).toHaveAttribute('data-circuit', /^open,half-open,closed(,|$)/)
    const metric = (name: string) => page.locator(`[data-metric="${name}"]`)
    await expect(metric('calls')).toHaveText('20')
    // Calls refused by the open breaker failed fast (an unrecognised code: "other"), and the
    // outcomes add up to the calls.
    const outcomes = await Promise.all(['ok', 'http', 'timeout', 'network', 'aborted', 'validation', 'other'].map(async (name) => Number(await metric(name).innerText())))
    expect(outcomes.reduce((sum, n) => sum + n, 0)).toBe(20)
    expect(Number(await metric('other').innerText())).toBeGreaterThan(0)
    // The server saw the 4 calls sent before the breaker opened and the probe, and the page shows its count.
    const hits = (await serverStats('flap', key)).hits.length
    expect(hits).toBeGreaterThanOrEqual(5)
    await expect(metric('server.hits')).toHaveText(String(hits))
    // Calls the breaker refused sent nothing and count no attempt: attempts equal the server's hits.
    await expect(metric('attempts')).toHaveText(String(hits))
  })

  test('the download bar never goes backwards and its total never shrinks as the pool starts more calls', async ({ page }) => {
    // The server paces each body (10 chunks over a second), so the bar has values to show between
    // 0 and 100 however fast the machine is: a 4 MiB body as fast as it goes arrived between two
    // progress events in WebKit on a loaded machine, leaving the bar only 0 and 100.
    await page.getByLabel('Route').selectOption('drip')
    await setNumber(page.getByLabel('Bytes'), 1024 * 1024)
    await setNumber(page.getByLabel('Duration (ms)'), 1000)
    await setNumber(page.getByLabel('Chunks'), 10)
    await setNumber(page.getByLabel('How many requests'), 6)
    await setNumber(page.getByLabel('Concurrency'), 2)
    // Every value the bar and its text take during the run, recorded in the page.
    await page.evaluate(() => {
      const seen: [number, string][] = []
      ;(window as unknown as { seen: typeof seen }).seen = seen
      const bar = document.querySelector('[data-testid="progress-download"]') as HTMLElement
      const text = document.querySelector('[data-testid="progress-download-text"]') as HTMLElement
      const record = (): void => void seen.push([Number(bar.getAttribute('aria-valuenow') ?? -1), text.textContent ?? ''])
      new MutationObserver(record).observe(bar.parentElement as HTMLElement, { attributes: true, characterData: true, childList: true, subtree: true })
    })
    await runToEnd(page)
    // The page draws its final numbers in the task that says done (playground/src/main.ts).
    await expect(page.getByTestId('progress-download')).toHaveAttribute('aria-valuenow', '100')
    const seen = await page.evaluate(() => (window as unknown as { seen: [number, string][] }).seen)
    const values = seen.map(([value]) => value).filter((value) => value >= 0)
    expect(values.length).toBeGreaterThan(2)
    expect(values, 'the bar never goes backwards').toEqual([...values].sort((a, b) => a - b))
    expect(values.at(-1)).toBe(100)
    const MIB = 1024 * 1024
    const totals = seen.map(([, text]) => /of ~?([\d.]+) MiB/.exec(text)?.[1]).filter((total) => total !== undefined).map((total) => Math.round(Number(total) * MIB))
    expect(totals.length).toBeGreaterThan(0)
    expect(totals, 'the total never shrinks').toEqual([...totals].sort((a, b) => a - b))
    await expect(page.getByTestId('progress-download-text')).toContainText('6/6 done · 6.00 MiB of 6.00 MiB')
  })

  test('an upload run fills the upload bar to the total of the run and ends without an ETA', async ({ page }) => {
    await page.getByLabel('Preset').selectOption('upload')
    const runState = await runToEnd(page)
    await expect(runState).toHaveText(/^Done: 3 ok, 0 failed in /)
    await expect(page.getByTestId('progress-upload')).toHaveAttribute('aria-valuenow', '100')
    const upload = page.getByTestId('progress-upload-text')
    await expect(upload).toContainText('3/3 done · 12.0 MiB of 12.0 MiB')
    await expect(upload).not.toContainText('ETA')
  })

  test('the Code panel is the code of the run: its key, its pool, no empty query, a comment naming only what is configured, no line cut off', async ({ page }) => {
    await setNumber(page.getByLabel('How many requests'), 8)
    const runState = await runToEnd(page)
    const key = await runState.getAttribute('data-key')
    const code = page.getByTestId('code')
    const text = await code.innerText()
    expect(text).toContain(`key: '${key}'`)
    expect(text).toContain('concurrency: 4')
    expect(text).toContain('// 8 calls at once; the pool runs at most 4 at a time.')
    expect(text).not.toContain('rate limit')
    // Long lines wrap inside the panel instead of running out of it.
    expect(await code.evaluate((pre) => pre.scrollWidth - pre.clientWidth)).toBeLessThanOrEqual(0)

    // A route without parameters or key, and neither a pool nor a limiter.
    await page.getByLabel('Route').selectOption('json')
    await page.getByLabel('Concurrency').clear()
    await setNumber(page.getByLabel('How many requests'), 3)
    await expect(code).toContainText('// 3 calls at once, all sent together: no pool, no rate limit.')
    const plain = await code.innerText()
    expect(plain).not.toContain('query: {}')
    expect(plain).not.toContain('concurrency')
    expect(plain).not.toContain('the pool')

    // A limiter and no pool: the comment names the limiter and its rate.
    await page.getByLabel('Starts per interval').fill('5')
    await expect(code).toContainText('// 3 calls at once; the rate limiter starts at most 5 per 1000 ms.')
    await expect(code).toContainText('rateLimit: createRateLimiter({ limit: 5 })')
  })

  test('the code of the Code panel, run in Node as shown, sends what the run sent: as many requests, the same key, the same cap', async ({ page, key }) => {
    await page.getByLabel('Server key').fill(key)
    await setNumber(page.getByLabel('How many requests'), 8)
    await runToEnd(page)
    expect(await serverStats('concurrency', key)).toMatchObject({ hits: { length: 8 }, max: 4 })

    // The code as shown, pasted into a module next to the repository's node_modules (`volley`).
    const code = await page.getByTestId('code').innerText()
    const { stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, timeout: 20_000 })
    expect(stderr).toBe('')
    const stats = await serverStats('concurrency', key)
    expect(stats.hits).toHaveLength(16)
    expect(stats.max).toBe(4)
  })

  test('the generated progress logger, run in Node, prints no "eta undefined ms" and ends with "done"', async ({ page, key }) => {
    await page.getByLabel('Route').selectOption('bytes')
    await setNumber(page.getByLabel('Bytes'), 200_000)
    await setNumber(page.getByLabel('How many requests'), 1)
    await page.getByLabel('Server key').fill(key)
    const code = await page.getByTestId('code').innerText()
    expect(code).not.toContain('eta ${p.etaMs} ms')
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, timeout: 20_000 })
    expect(stderr).toBe('')
    const progressLines = stdout.split('\n').filter((line) => line.startsWith('down '))
    expect(progressLines.length).toBeGreaterThan(0)
    for (const line of progressLines) expect(line).not.toContain('undefined')
    expect(progressLines.at(-1)).toMatch(/^down 100% \d+ B\/s done$/)
  })

  test('a 429 answered in a few ms still shows in the HTTP-error colour on a seconds-long chart', async ({ page }) => {
    // A phone-wide chart of 3 s: about 10 ms per pixel, so the 429's bar is under a pixel wide.
    await page.setViewportSize({ width: 375, height: 740 })
    await page.getByLabel('Preset').selectOption('retry-after')
    await setNumber(page.getByLabel('Wait (s)'), 3)
    await setNumber(page.getByLabel('How many requests'), 2)
    await runToEnd(page)
    const http = await cssColour(page, '--tl-http')
    // Pixels of the HTTP-error colour on each row's middle line (2 rows: 24 px each).
    const widths = await page.getByTestId('timeline').evaluate((canvas: HTMLCanvasElement, colour) => {
      const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number) as [number, number, number]
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
      const ratio = canvas.width / canvas.clientWidth
      return [0, 1].map((row) => {
        const line = ctx.getImageData(0, Math.round((row * 24 + 12) * ratio), canvas.width, 1).data
        let count = 0
        for (let x = 0; x < line.length; x += 4) if (Math.abs(line[x]! - r) + Math.abs(line[x + 1]! - g) + Math.abs(line[x + 2]! - b) < 60) count++
        return count / ratio
      })
    }, http)
    for (const width of widths) expect(width).toBeGreaterThanOrEqual(3)
  })

  test('a wait says why: a token wait held by a 429 reads "paused by server: 429 Retry-After"', async ({ page }) => {
    await page.getByLabel('Preset').selectOption('backpressure')
    await runToEnd(page)
    const texts = await tooltips(page, 30)
    expect(texts.some((text) => /token wait [\d.]+ m?s \(paused by server: 429 Retry-After [\d.]+ s(, \d+ times)?\)/.test(text))).toBe(true)
    expect(texts.some((text) => /token wait [\d.]+ m?s \(rate limit 20 per 1 s\)/.test(text))).toBe(true)
    expect(texts.some((text) => /retry wait of [\d.]+ m?s \(the server asked: 429 Retry-After [\d.]+ s/.test(text))).toBe(true)
  })

  test('the arrow keys keep the row they chose while the pointer rests over the chart; a pointer that moves takes it back', async ({ page, browserName }) => {
    await setNumber(page.getByLabel('How many requests'), 30)
    await runToEnd(page)
    const timeline = page.getByTestId('timeline')
    await expect(timeline).toHaveAttribute('data-settled', '30')
    const tooltip = page.locator('#timeline-tooltip')
    // Hovering shows the row under the pointer.
    const hovered = await rowCentre(page, 16)
    await page.mouse.move(hovered.x, hovered.y)
    await expect(tooltip).toContainText('#16 ')
    // The keys take over from there: Home is row #1.
    await timeline.focus()
    await page.keyboard.press('Home')
    await expect(tooltip).toContainText('#1 ')
    // The page scrolls under the resting pointer. WebKit answers with a pointermove that did not
    // move (no movement, the same screen position) over another row; Chromium and Firefox send none
    // (e2e/README.md, per engine). Either way the keyboard's row stays.
    type Resting = { restingMoves: [number, number][] }
    const scrolled = await page.evaluate(() => {
      const moves: [number, number][] = []
      ;(window as unknown as Resting).restingMoves = moves
      document.querySelector('[data-testid="timeline"]')!.addEventListener('pointermove', (event) => moves.push([(event as PointerEvent).movementX, (event as PointerEvent).movementY]))
      const before = scrollY
      scrollBy(0, 60)
      return scrollY - before
    })
    expect(scrolled).toBe(60)
    if (browserName === 'webkit') await expect.poll(() => page.evaluate(() => (window as unknown as Resting).restingMoves)).toContainEqual([0, 0])
    // Once the page has drawn what it knows (its frames run on requestAnimationFrame), row #1 is still the one shown.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    await expect(tooltip).toContainText('#1 ')
    await page.keyboard.press('ArrowDown')
    await expect(tooltip).toContainText('#2 ')
    // A pointer that really moves shows its row again.
    const moved = await rowCentre(page, 20)
    await page.mouse.move(moved.x, moved.y)
    await expect(tooltip).toContainText('#20 ')
  })

  test('fits a 375 px phone screen and runs from the keyboard', async ({ page, consoleErrors }, testInfo) => {
    await page.setViewportSize({ width: 375, height: 740 })
    await setNumber(page.getByLabel('How many requests'), 12)
    // A real button: focused, Enter runs it.
    await page.getByRole('button', { name: /^Run/ }).focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('run-state')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-rows', '12')
    // Nothing sticks out sideways: the page never scrolls horizontally.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await expect(page.getByTestId('timeline')).toBeInViewport()
    expect(consoleErrors).toEqual([])
    await page.screenshot({ path: testInfo.outputPath('playground-phone.png'), fullPage: true })
  })

  test('resilience policies: hedges race the slow calls of a latency tail, and the timeline marks them', async ({ page, key }) => {
    await page.getByLabel('Route').selectOption('tail')
    await page.getByLabel('Server key').fill(key)
    await setNumber(page.getByLabel('How many requests'), 20)
    await setNumber(page.getByLabel('Slow every n-th'), 5)
    await page.getByLabel('hedge', { exact: true }).check()
    await expect(page.getByTestId('code')).toContainText('use: [hedge({ after: 50 }), progress()]')
    await runToEnd(page)
    const timeline = page.getByTestId('timeline')
    await expect(timeline).toHaveAttribute('data-settled', '20')
    // Every 5th request the server sees is slow (hedges count too), and each slow first attempt is hedged.
    const hedges = Number(await timeline.getAttribute('data-hedges'))
    expect(hedges).toBeGreaterThanOrEqual(1)
    expect((await serverStats('tail', key)).hits).toHaveLength(20 + hedges)
  })

  test('resilience policies: a breaker opens on a failing origin and the rest fail fast', async ({ page, key }) => {
    await page.getByLabel('Route').selectOption('flap')
    await page.getByLabel('Server key').fill(key)
    await setNumber(page.getByLabel('How many requests'), 8)
    await setNumber(page.getByLabel('Healthy answers'), 0)
    await setNumber(page.getByLabel('Retries'), 0)
    await setNumber(page.getByLabel('Concurrency'), 1)
    await page.getByLabel('circuitBreaker', { exact: true }).check()
    await expect(page.getByTestId('code')).toContainText('circuitBreaker({ failures: 3, cooldown: 2_000 })')
    await runToEnd(page)
    const timeline = page.getByTestId('timeline')
    await expect(timeline).toHaveAttribute('data-settled', '8')
    await expect(timeline).toHaveAttribute('data-circuit', 'open')
    expect((await serverStats('flap', key)).hits).toHaveLength(3)
  })
})
