/**
 * Fan out one question to several APIs and keep every answer: `safe` results never throw,
 * so one failing service cannot lose the others' answers.
 * Run: npm run example -- examples/fan-out-safe.ts
 */
import { startChaosServer } from '@volley/chaos-server'
import { createClient } from 'volley'
import { printTable } from './lib/table.js'

const server = await startChaosServer()
const api = createClient({ baseURL: server.url, timeout: 1_500, retry: { limit: 1, delay: 20 } })

const services = ['/json', '/status/404', '/invalid-json', '/delay/5000', '/flaky?key=fan&fail=1']
const answers = await Promise.all(services.map((path) => api.safe.get(path)))

printTable(
  answers.map((answer, i) => ({
    service: services[i],
    result: answer.ok ? 'ok' : 'FAIL',
    detail: answer.ok ? JSON.stringify(answer.data).slice(0, 40) : `${answer.error.code}: ${answer.error.message}`,
  })),
)
await server.close()
