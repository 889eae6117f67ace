import { expect, test } from './fixtures.js'

test.describe('deadlines and cancellation', () => {
  test('an attempt deadline expires on a body that keeps dripping', async ({ vanilla }) => {
    const error = await vanilla.run('attemptTimeout')
    expect(error).toMatchObject({ isTimeoutError: true, code: 'ERR_TIMEOUT', phase: 'attempt', limit: 500, attempts: 1 })
  })

  test('an idle deadline expires on a stalled body, and is retried', async ({ vanilla, chaos, key }) => {
    const error = await vanilla.run('idleTimeout', { key })
    expect(error).toMatchObject({ isTimeoutError: true, phase: 'idle', limit: 400, attempts: 2, previous: ['ERR_TIMEOUT'] })
    expect(await chaos.hits('stall', key)).toHaveLength(2)
  })

  test('the total deadline expires while waiting for headers, and is not retried', async ({ vanilla, chaos, key }) => {
    const error = await vanilla.run('totalTimeout', { key })
    expect(error).toMatchObject({ isTimeoutError: true, phase: 'total', limit: 500, attempts: 1 })
    expect(await chaos.hits('slow-headers', key)).toHaveLength(1)
  })

  test('a user abort settles at once and drops the connection', async ({ vanilla, chaos, key }) => {
    const { error, settledInMs, serverInFlightAfter } = await vanilla.run('userAbort', { key })
    test.info().annotations.push({ type: 'settled after abort', description: `${settledInMs.toFixed(1)} ms` })
    expect(error).toMatchObject({ isAbortError: true, code: 'ERR_ABORTED', attempts: 1, cause: 'Error: the user left the page' })
    // The server was holding the request for 60 s: it saw the browser close the connection.
    expect(serverInFlightAfter).toBe(0)
    expect(await chaos.concurrency(key)).toEqual({ current: 0, max: 1 })
  })

  test('a user abort during a Retry-After wait settles at once, without another attempt', async ({ vanilla, chaos, key }) => {
    const { error, settledInMs, plannedDelayMs } = await vanilla.run('abortDuringRetryWait', { key })
    test.info().annotations.push({ type: 'settled after abort', description: `${settledInMs.toFixed(1)} ms` })
    // volley had planned the server's 60 s wait; the test's 30 s timeout shows it did not sleep it out.
    expect(plannedDelayMs).toBe(60_000)
    expect(error).toMatchObject({ isAbortError: true, attempts: 1, cause: 'Error: cancelled by the user' })
    expect(await chaos.hits('retry-after', key)).toHaveLength(1)
  })
})
