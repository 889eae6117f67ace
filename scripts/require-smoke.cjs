// Proof of the CommonJS decision: the packages ship ESM only, and CommonJS users load them with
// `require()`, which Node runs on ESM since 20.19 / 22.12 (require(esm), unflagged). It throws
// ERR_REQUIRE_ASYNC_MODULE if anything in the ESM graph (ours or a dependency's) uses top-level
// await, so this file is the regression test for that. Run by scripts/runtimes.mjs on each Node.
// Output: one line per check, then `N passed, M failed`; exit code 1 on any failure.
'use strict'

let passed = 0
let failed = 0
function report(ok, name, detail) {
  if (ok) passed++
  else failed++
  console.log(`  ${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`)
}

async function main() {
  // The chaos server is ESM only as well: requiring it is part of the proof.
  const { startChaosServer } = require('@volley/chaos-server')
  const server = await startChaosServer()
  try {
    for (const name of ['volley', '@volley/core', '@volley/node']) {
      try {
        const { createClient } = require(name)
        const client = createClient({ baseURL: server.url, timeout: 5000 })
        const data = await client.get('/json')
        await client.close()
        report(data && data.hello === 'world', `require('${name}') then GET /json`, data && data.hello === 'world' ? '' : JSON.stringify(data))
      } catch (error) {
        report(false, `require('${name}') then GET /json`, `${error.code ?? ''} ${error.message}`)
      }
    }
  } finally {
    await server.close()
  }
}

main()
  .catch((error) => report(false, 'require(@volley/chaos-server)', `${error.code ?? ''} ${error.message}`))
  .finally(() => {
    console.log(`require(esm) on node ${process.version}: ${failed === 0 ? 'PASS' : 'FAIL'}`)
    console.log(`${passed} passed, ${failed} failed`)
    process.exitCode = failed === 0 ? 0 : 1
  })
