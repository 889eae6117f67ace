import { createClient, hedge, type Policy } from '@volley/core'
import { startServer } from '../bench/lib/server.js'
const server = await startServer()
const url = server.url
async function load(use: Policy[], path: string, n: number) {
  const api = createClient({ baseURL: url, retry: 0, use })
  const d: number[] = []
  let next = 0
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < n) { const i = next++; const t = performance.now(); await api.get(`${path}&i=${i}`); d.push(performance.now() - t) } }))
  d.sort((a, b) => a - b)
  return `p50 ${d[Math.floor(n / 2)]!.toFixed(2)} p90 ${d[Math.floor(n * 0.9)]!.toFixed(2)}`
}
for (const [name, use, path] of [
  ['none, no tail', [], '/tail?every=100000&slow=500'],
  ['hedge never fires, no tail', [hedge({ after: 100000 })], '/tail?every=100000&slow=500'],
  ['none, tail', [], '/tail?every=20&slow=500'],
  ['hedge p95, tail', [hedge()], '/tail?every=20&slow=500'],
  ['hedge 20ms, tail', [hedge({ after: 20 })], '/tail?every=20&slow=500'],
] as const) {
  await load(use as Policy[], path, 300)
  console.log(name.padEnd(30), await load(use as Policy[], path, 2000))
}
await server.stop()
