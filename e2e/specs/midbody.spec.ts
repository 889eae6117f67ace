import { expect, test } from './fixtures.js'

/**
 * Failures after the headers (docs/DESIGN.md#failures-after-the-headers): a body cut mid-way is a
 * retried NetworkError in every engine and on every path (fetch read whole, XHR, a stream the
 * caller reads, SSE), with the attempts counted at the chaos server.
 */
/**
 * What each engine throws for the cut body, as written down in docs/DESIGN.md#what-each-engine-throws
 * (WebKit runs it through e2e/playwright.webkit.config.ts).
 * A change here means the classification tables need looking at.
 */
const EXPECTED: Record<string, Record<string, string>> = {
  chromium: {
    arrayBuffer: 'TypeError: Failed to fetch',
    text: 'TypeError: Failed to fetch',
    blob: 'TypeError: Failed to fetch',
    reader: 'TypeError: network error',
    rst: 'TypeError: Failed to fetch',
    xhr: 'loadstart progress error loadend',
  },
  firefox: {
    arrayBuffer: 'TypeError: Content-Length header of network response exceeds response Body.',
    text: 'TypeError: Content-Length header of network response exceeds response Body.',
    blob: 'TypeError: Content-Length header of network response exceeds response Body.',
    reader: 'TypeError: Error in input stream',
    rst: 'AbortError: The operation was aborted. ',
    xhr: 'loadstart progress error loadend',
  },
  // On a kept-alive connection, as here; after `Connection: close` WebKit takes the FIN for the
  // end of the body and reports no error at all (docs/DESIGN.md#what-each-engine-throws).
  webkit: {
    arrayBuffer: 'TypeError: Load failed',
    text: 'TypeError: Load failed',
    blob: 'TypeError: Load failed',
    reader: 'TypeError: Load failed',
    rst: 'TypeError: Load failed',
    xhr: 'loadstart progress error loadend',
  },
}

test.describe('failures after the headers', () => {
  test('records what the engine throws for a body cut after 16 KiB of 64 KiB', async ({ vanilla, key }, testInfo) => {
    const messages = await vanilla.run('engineMessages', { key })
    await testInfo.attach('engine-messages.json', { body: JSON.stringify(messages, null, 2), contentType: 'application/json' })
    const seen = Object.fromEntries(
      Object.entries(messages).map(([probe, report]) => [probe, report.events ? report.events.join(' ') : `${report.name}: ${report.message}`]),
    )
    const expected = EXPECTED[testInfo.project.name]
    if (expected) expect(seen).toEqual(expected)
  })
})

test.describe('a body cut mid-way is a retried NetworkError', () => {
  for (const via of ['fetch', 'xhr'] as const) {
    for (const responseType of ['arrayBuffer', 'text', 'json', 'blob'] as const) {
      test(`read whole as ${responseType} through ${via}: 3 attempts at the server`, async ({ vanilla, chaos, key }) => {
        const result = await vanilla.run('midBodyRetried', { key, responseType, via })
        expect(result.error.code, JSON.stringify(result)).toBe('ERR_NETWORK')
        expect(result.isNetworkError).toBe(true)
        expect(result.error.attempts).toBe(3)
        expect(result.error.previous).toEqual(['ERR_NETWORK', 'ERR_NETWORK'])
        expect(await chaos.hits('reset', key)).toHaveLength(3)
      })
    }
  }

  test('an upload through XHR whose answer is cut: 3 attempts at the server, no stray error in the page', async ({ vanilla, chaos, key }) => {
    const result = await vanilla.run('midBodyUpload', { key })
    expect(result.error.code, JSON.stringify(result)).toBe('ERR_NETWORK')
    expect(result.error.attempts).toBe(3)
    expect(result.uploadDone).toBe(true)
    expect((await chaos.hits('reset', key)).map((hit) => hit.method)).toEqual(['PUT', 'PUT', 'PUT'])
  })

  test('a stream the caller reads rejects with a NetworkError and frees its pool slot', async ({ vanilla, chaos, key }) => {
    const result = await vanilla.run('midBodyStream', { key })
    expect(result.read.isNetworkError, JSON.stringify(result)).toBe(true)
    expect(result.read.error.code).toBe('ERR_NETWORK')
    expect(result.bytesRead).toBeLessThan(65536)
    expect(result.poolActive).toBe(0)
    expect(result.followUp).toBe(true)
    // A stream was handed to the caller: volley cannot retry what the caller is reading.
    expect(await chaos.hits('reset', key)).toHaveLength(1)
  })

  for (const via of ['fetch', 'xhr'] as const) {
    test(`download progress through ${via} never decreases across retries and ends at the size`, async ({ vanilla, chaos, key }) => {
      const result = await vanilla.run('progressAcrossRetries', { key, via })
      expect(result.attempts).toBe(3)
      expect(result.size).toBe(65536)
      expect(await chaos.hits('file', key)).toHaveLength(3)
      const { loaded, done } = result
      expect(loaded.every((value, i) => i === 0 || value >= loaded[i - 1]!), loaded.join(',')).toBe(true)
      expect(loaded.at(-1)).toBe(65536)
      expect(done.filter(Boolean)).toHaveLength(1)
      expect(done.at(-1)).toBe(true)
    })
  }

  test('SSE cut inside an event reconnects even with reconnectOnEnd: false', async ({ vanilla, chaos, key }) => {
    const result = await vanilla.run('sseCutMidEvent', { key })
    expect(result.ids).toEqual(['1', '2', '3', '4', '5'])
    expect(result.reconnectErrors).toEqual(['NetworkError'])
    // The server cut only once the page had read event 2 (the scenario's gate): it resumes there.
    expect(result.deliveredBefore).toEqual([2])
    expect((await chaos.hits('sse', key)).map((hit) => hit.headers['last-event-id'])).toEqual([undefined, '2'])
  })
})
