/**
 * Six concurrent POSTs to "LLM providers" with retries, Idempotency-Key and per-phase timeouts.
 * One provider always fails, one is flaky, one is too slow for the deadline.
 * Run: npm run example -- examples/concurrent-posts.ts
 */
import { startChaosServer } from '@volley/chaos-server'
import { createClient, isHTTPError, isTimeoutError } from 'volley'
import { printTable } from './lib/table.js'

const server = await startChaosServer()
const api = createClient({
  baseURL: server.url,
  timeout: { total: 2_000, attempt: 800, connect: 500 },
  // POSTs retry only on request: an Idempotency-Key makes the retry safe for the server.
  retry: { limit: 2, delay: 50 },
  idempotencyKey: true,
})

const providers = {
  alpha: '/delay/120',
  beta: '/flaky?key=beta&fail=2&status=503',
  gamma: '/status/500',
  delta: '/delay/3000',
  epsilon: '/echo',
  zeta: '/retry-after?mode=seconds&value=1&key=zeta&fail=1&status=429',
}

const prompt = { model: 'any', messages: [{ role: 'user', content: 'Say hi' }] }
const results = await Promise.all(
  Object.entries(providers).map(async ([name, path]) => {
    const result = await api.safe.post(path, { body: prompt })
    const outcome = result.ok
      ? `${result.meta.status} ok`
      : isHTTPError(result.error)
        ? `HTTPError ${result.error.status}`
        : isTimeoutError(result.error)
          ? `TimeoutError (${result.error.phase})`
          : result.error.code
    return { provider: name, outcome, attempts: result.meta.attempts, duration: `${Math.round(result.meta.durationMs)} ms` }
  }),
)
printTable(results)
await server.close()
