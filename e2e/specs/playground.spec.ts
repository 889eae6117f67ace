/**
 * The Vite playground (playground/), driven through its own UI as a person would: the builder's
 * labelled fields, the Ctrl+Enter shortcut, the timeline, the metrics and the log.
 *
 * Self-contained for its server: unlike the other specs it does not use global setup's servers.
 * Each worker starts the playground's dev server with Vite's JS API on a free port; the dev server
 * mounts the chaos routes under /chaos (same origin) and starts a cross-origin chaos server too.
 * The page imports the packages' src/ (the `@volley/source` condition), so no build is needed.
 */
import { fileURLToPath } from 'node:url'
import { createServer, type ViteDevServer } from 'vite'
import type { Locator } from '@playwright/test'
import { expect, test, type Hit } from './fixtures.js'

const CONFIG = fileURLToPath(new URL('../../playground/vite.config.ts', import.meta.url))

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
})
