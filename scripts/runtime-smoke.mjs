// Smoke suite for every runtime (Node, Bun, Deno): imports `volley` by its package name, so each
// runtime picks its own `exports` condition, and exercises the main jobs against the chaos server.
// Plain ESM JavaScript on purpose: every runtime runs it as is, with no TypeScript step.
//
// Env: VOLLEY_EXPECT_ENTRY = node | core | browser — which entry this runtime must resolve to.
//      VOLLEY_CHAOS_URL    — use a chaos server started elsewhere instead of starting one here.
// Output: one line per check, then `N passed, M failed`; exit code 1 on any failure.
import process from 'node:process'
import * as volley from 'volley'
import { createClient, createPool, isHTTPError, isTimeoutError, progress } from 'volley'

// Each entry has one export the others lack, which tells which `exports` condition won.
const entry = 'createNodeTransport' in volley ? 'node' : 'createXhrTransport' in volley ? 'browser' : 'core'

// Per-run keys: a shared chaos server keeps flaky/concurrency counters per key.
const run = `${entry}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
const CHECK_MS = 10_000

let server
let baseURL = process.env.VOLLEY_CHAOS_URL
if (!baseURL) {
  const { startChaosServer } = await import('@volley/chaos-server')
  server = await startChaosServer()
  baseURL = server.url
}
const client = createClient({ baseURL, retry: { limit: 2, delay: 10 }, timeout: 5_000 })

let passed = 0
let failed = 0
/** Runs one check; a check that hangs fails after CHECK_MS instead of stalling the whole run. */
async function check(name, fn) {
  let timer
  const started = Date.now()
  try {
    const note = await Promise.race([
      fn(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_MS} ms`)), CHECK_MS) }),
    ])
    passed++
    console.log(`  PASS ${name}${note ? ` — ${note}` : ''} (${Date.now() - started} ms)`)
  } catch (error) {
    failed++
    // A failed assertion says it all; anything else is unexpected, so show where it came from.
    console.log(`  FAIL ${name} — ${error instanceof CheckFailed ? error.message : (error?.stack ?? error)}`)
  } finally {
    clearTimeout(timer)
  }
}
class CheckFailed extends Error {}
function assert(condition, message) {
  if (!condition) throw new CheckFailed(message)
}

await check(`resolves the '${process.env.VOLLEY_EXPECT_ENTRY ?? entry}' entry of volley`, async () => {
  const expected = process.env.VOLLEY_EXPECT_ENTRY
  assert(!expected || entry === expected, `expected the ${expected} entry, got ${entry}`)
  // Shows the file too: the built dist/, not src/ (Deno maps stack traces back to src/ through
  // the source maps, which can make it look otherwise).
  let file = '?'
  try {
    file = import.meta.resolve('volley').replace(/^.*\/packages\//, 'packages/')
  } catch {}
  return `entry ${entry}, ${file}`
})

await check('GET JSON', async () => {
  const data = await client.get('/json')
  assert(data?.hello === 'world', `unexpected body ${JSON.stringify(data)}`)
})

await check('POST JSON echo', async () => {
  const data = await client.post('/echo', { body: { greeting: 'hi', n: 1 } })
  assert(data.method === 'POST', `method ${data.method}`)
  assert(JSON.parse(data.body).greeting === 'hi', `body ${data.body}`)
  assert(/json/.test(data.headers['content-type']), `content-type ${data.headers['content-type']}`)
})

await check('retries a 503 on /flaky until it succeeds', async () => {
  const result = await client.safe.get(`/flaky?key=${run}&fail=2&status=503`)
  assert(result.ok, `failed: ${result.error?.message}`)
  assert(result.meta.attempts === 3 && result.data.attempt === 3, `attempts ${result.meta.attempts}, server saw ${result.data.attempt}`)
  return '3 attempts'
})

await check('total timeout raises TimeoutError with its phase', async () => {
  const started = Date.now()
  const error = await client.get('/delay/3000', { timeout: 200 }).then(() => undefined, (e) => e)
  assert(isTimeoutError(error), `expected a TimeoutError, got ${error}`)
  assert(error.phase === 'total', `phase ${error.phase}`)
  const ms = Date.now() - started
  assert(ms < 2_000, `took ${ms} ms`)
  return `phase ${error.phase} after ${ms} ms`
})

await check('pool caps in-flight requests at /concurrency (measured at the server)', async () => {
  const pooled = createClient({ baseURL, pool: createPool({ concurrency: 2 }) })
  const results = await Promise.all(Array.from({ length: 6 }, () => pooled.get(`/concurrency?ms=60&key=${run}`)))
  const max = Math.max(...results.map((r) => r.max))
  assert(max <= 2, `server saw ${max} in flight with concurrency 2`)
  assert(pooled.pool.stats.active === 0, `pool still has ${pooled.pool.stats.active} active`)
  await pooled.close()
  return `max in flight ${max}`
})

await check('download progress reaches done', async () => {
  const events = []
  const body = await client.get('/drip?bytes=100000&duration=200&chunks=5', {
    responseType: 'arrayBuffer',
    use: [progress()],
    onDownloadProgress: (p) => events.push(p),
  })
  const last = events.at(-1)
  assert(body.byteLength === 100_000, `got ${body.byteLength} bytes`)
  assert(last?.done === true && last.loaded === 100_000, `last event ${JSON.stringify(last)}`)
  return `${events.length} events`
})

await check('safe() returns errors instead of throwing', async () => {
  const bad = await client.safe.get('/status/404', { retry: 0 })
  assert(!bad.ok && isHTTPError(bad.error) && bad.error.status === 404, `got ${JSON.stringify(bad)}`)
  const good = await client.safe.get('/json')
  assert(good.ok && good.data.hello === 'world' && good.meta.status === 200, 'safe.get(/json) failed')
})

// Importing the Node entry directly must work too: Bun ships a partial undici shim, so there
// @volley/node falls back to the runtime's fetch.
await check('the Node entry (@volley/node) imported directly', async () => {
  const { createClient: createNodeClient } = await import('@volley/node')
  const node = createNodeClient({ baseURL, retry: 0 })
  const data = await node.get('/json')
  assert(data.hello === 'world', `got ${JSON.stringify(data)}`)
  await node.close()
})

await client.close()
await server?.close()
const runtime = globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : globalThis.Bun ? `bun ${globalThis.Bun.version}` : `node ${process.version}`
console.log(`smoke (${runtime}, entry ${entry}): ${failed === 0 ? 'PASS' : 'FAIL'}`)
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1
