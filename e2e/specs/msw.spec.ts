/**
 * MSW in the browser: a service worker (`setupWorker` from `msw/browser`) answers volley's calls,
 * over the fetch transport and over the XHR transport, in Chromium and Firefox. The handlers mock
 * the chaos server's own URLs; the server's stats prove that no mocked request reached it.
 */
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.js'
import type { MswScenarios } from '../apps/msw/src/main.js'

type Run = <N extends keyof MswScenarios>(name: N, args: Parameters<MswScenarios[N]>[0]) => Promise<Awaited<ReturnType<MswScenarios[N]>>>

function runner(page: Page): Run {
  return (name, args) =>
    page.evaluate(
      ([scenario, arg]) => {
        const run = (window as unknown as { volleyMsw: Record<string, (arg: unknown) => Promise<unknown>> }).volleyMsw[scenario]
        if (!run) throw new Error(`no scenario named ${scenario}`)
        return run(arg)
      },
      [name, args] as const,
    ) as never
}

test.describe('MSW service worker', () => {
  test.beforeEach(async ({ openApp }) => {
    await openApp('msw')
  })

  test('intercepts a client created before worker.start() (fetch transport)', async ({ page, chaos, key }) => {
    const result = await runner(page)('earlyClient', { key })
    expect(result).toEqual({ data: { via: 'msw' }, attempts: 1, handlerHits: 1, xhrSends: 0 })
    expect(await chaos.hits('json', key)).toHaveLength(0)
  })

  test('retries a mocked 503 through the fetch transport', async ({ page, chaos, key }) => {
    const result = await runner(page)('fetchRetry', { key })
    expect(result).toEqual({ data: { via: 'msw', attempt: 2 }, attempts: 2, handlerHits: 2, xhrSends: 0 })
    expect(await chaos.hits('flaky', key)).toHaveLength(0)
  })

  test('intercepts the XHR transport (upload progress) and retries a mocked 503', async ({ page, chaos, key }) => {
    const size = 200_000
    const result = await runner(page)('xhrUploadRetry', { key, size })
    expect(result).toMatchObject({ data: { via: 'msw', received: size }, attempts: 2, handlerHits: 2, xhrSends: 2 })
    // Upload progress went through XHR, once per attempt (the body was sent twice): each ends at its size.
    expect(result.events.filter((event) => event.done)).toEqual([
      { loaded: size, total: size, done: true },
      { loaded: size, total: size, done: true },
    ])
    expect(result.events.at(-1)).toEqual({ loaded: size, total: size, done: true })
    expect(await chaos.hits('upload', key)).toHaveLength(0)
  })
})
