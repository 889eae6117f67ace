import { expect, test } from './fixtures.js'

test.describe('@volley/otel in the browser', () => {
  test('a retried call: one call span, a CLIENT span per attempt with the HTTP conventions, traceparent per attempt, the duration histogram', async ({ vanilla, chaos, key }) => {
    const report = await vanilla.run('otelRetried', { key })
    const call = report.spans.find((span) => span.kind === 'internal')
    const attempts = report.spans.filter((span) => span.kind === 'client')
    expect(call?.name).toBe('volley GET')
    expect(call?.attributes).toMatchObject({ 'volley.attempts': 3, 'volley.retries': 2, 'http.response.status_code': 200 })
    expect(call?.events.filter((event) => event.name === 'volley.backoff_wait')).toHaveLength(2)
    expect(attempts.map((span) => span.name)).toEqual(['GET', 'GET', 'GET'])
    expect(attempts.every((span) => span.parentSpanId === call?.spanId)).toBe(true)
    const port = Number(new URL(chaos.url).port)
    for (const span of attempts) {
      expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': port, 'url.scheme': 'http' })
      // `key` is among the query parameters volley treats as secrets.
      expect(span.attributes['url.full']).toBe(`${chaos.url}/flaky?key=REDACTED&fail=2`)
    }
    expect(attempts.map((span) => span.attributes['http.response.status_code'])).toEqual([503, 503, 200])
    expect(attempts.map((span) => span.attributes['error.type'])).toEqual(['503', '503', undefined])
    expect(attempts.map((span) => span.attributes['http.request.resend_count'])).toEqual([undefined, 1, 2])
    // The server got each attempt's own traceparent (cross-origin: the preflight allowed the header).
    const hits = await chaos.hits('flaky', key)
    expect(hits.map((hit) => hit.headers.traceparent)).toEqual(attempts.map((span) => `00-${span.traceId}-${span.spanId}-01`))
    expect(report.durations.sort((a, b) => Number(a.status) - Number(b.status))).toEqual([
      { status: 200, count: 1, unit: 's' },
      { status: 503, count: 2, unit: 's' },
    ])
    expect(report.poolLimit).toBe(2)
  })
})
