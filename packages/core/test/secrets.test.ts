import { describe, expect, it } from 'vitest'
import { logEvents, createMetrics, createRateLimiter, createPool, createClient, redactHeaders, redactUrl, type Logger, type VolleyError, type VolleyEvent } from '@volley/core'
import { useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()
const SECRET = 'sk-live-5ecret-planted-value'

interface Echo {
  headers: Record<string, string>
}

describe('secrets', () => {
  it('redacts userinfo and token-like query parameters in URLs', () => {
    expect(redactUrl(`https://ada:${SECRET}@api.test/v1?api_key=${SECRET}&q=cats&access_token=${SECRET}#frag`)).toBe(
      'https://[REDACTED]@api.test/v1?api_key=[REDACTED]&q=cats&access_token=[REDACTED]',
    )
    expect(redactUrl('/relative?token=abc&page=2')).toBe('/relative?token=[REDACTED]&page=2')
    expect(redactUrl('https://api.test/plain')).toBe('https://api.test/plain')
  })

  it('redacts secret headers', () => {
    expect(redactHeaders({ Authorization: `Bearer ${SECRET}`, 'X-Api-Key': SECRET, Cookie: SECRET, Accept: 'x' })).toEqual({
      authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      cookie: '[REDACTED]',
      accept: 'x',
    })
  })

  it('keeps secrets out of every error message and JSON form', async () => {
    const api = createClient({
      baseURL: server().url,
      headers: { authorization: `Bearer ${SECRET}`, 'x-api-key': SECRET },
      retry: { limit: 1, delay: 1 },
      timeout: { total: 2000, idle: 100 },
    })
    const targets = [
      `/status/500?api_key=${SECRET}`,
      `/invalid-json?token=${SECRET}`,
      `/stall?access_token=${SECRET}`,
      `http://user:${SECRET}@127.0.0.1:1/refused`,
    ]
    for (const target of targets) {
      const result = await api.safe.get(target, { query: { secret: SECRET } })
      expect(result.ok).toBe(false)
      const error = result.error as VolleyError
      const printed = [error.message, JSON.stringify(error), String(error.stack), JSON.stringify(result.meta), ...error.previous.map((e) => e.message)]
      for (const text of printed) expect(text).not.toContain(SECRET)
      // A failure that is not a network failure (fetch refuses a URL with credentials) is a
      // TypeError, which `safe` wraps: its redacted request rides on the cause.
      expect(error.request?.url ?? (error.cause as { request?: { url: string } }).request?.url).toContain('[REDACTED]')
    }
  })

  it('keeps a planted secret out of every log line, event and metric', async () => {
    const lines: string[] = []
    const record = (level: string) => (message: string, data?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`)
    const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }
    const events: VolleyEvent[] = []
    const log = logEvents(logger)
    const api = createClient({
      baseURL: server().url,
      headers: { authorization: `Bearer ${SECRET}`, cookie: `session=${SECRET}`, 'x-api-key': SECRET },
      query: { api_key: SECRET },
      retry: { limit: 1, delay: 1 },
      pool: createPool({ concurrency: 2 }),
      rateLimit: createRateLimiter({ limit: 100 }),
      metrics: createMetrics(),
      onEvent: (e) => {
        events.push(e)
        log(e)
      },
    })
    await Promise.all([
      api.safe.get('/json'),
      api.safe.get('/status/503'),
      api.safe.get(`/flaky?key=${SECRET}&fail=1&token=${SECRET}`),
      api.safe.get('/invalid-json'),
      api.safe.get(`http://user:${SECRET}@127.0.0.1:1/bad-port`),
    ])
    expect(lines.length).toBeGreaterThan(5) // attempts, retry decisions and failures were logged
    const everything = [...lines, ...events.map((e) => JSON.stringify(e)), JSON.stringify(api.metrics!.snapshot())]
    for (const text of everything) expect(text).not.toContain(SECRET)
    expect(lines.some((line) => line.includes('[REDACTED]'))).toBe(true)
  })

  it('drops authorization when a redirect crosses origins', async () => {
    const api = createClient({ baseURL: server().url, headers: { authorization: `Bearer ${SECRET}` } })
    const sameOrigin = await api.get<Echo>('/redirect/1')
    expect(sameOrigin.headers.authorization).toBe(`Bearer ${SECRET}`)
    const crossOrigin = await api.get<Echo>('/redirect-cross-origin', { query: { to: '/echo' } })
    expect(crossOrigin.headers.authorization).toBeUndefined()
  })

  it('reports a redirect loop as a TypeError at once instead of hanging or retrying', async () => {
    const result = await createClient({ baseURL: server().url }).safe.get('/redirect-loop')
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.cause).toBeInstanceOf(TypeError)
      expect(result.error.message).toMatch(/too many redirects/)
      expect(result.meta.attempts).toBe(1)
    }
  })
})
