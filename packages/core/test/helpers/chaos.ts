import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { afterAll, beforeAll, beforeEach } from 'vitest'

/** Options of {@link useChaosServer}. */
export interface UseChaosServerOptions {
  /** Passed to `startChaosServer` (e.g. `tls`). */
  server?: Parameters<typeof startChaosServer>[0]
  /** Reset the server's stats and per-key state before each test. @default true */
  resetEachTest?: boolean
}

/**
 * Starts one chaos server on 127.0.0.1, port 0, for the current test file, resets its counters
 * before each test (unless told not to) and closes it after the file. Read `server()` inside
 * tests. Shared by the core, node and browser test suites.
 */
export function useChaosServer({ server: options = {}, resetEachTest = true }: UseChaosServerOptions = {}): () => ChaosServer {
  let server: ChaosServer | undefined
  beforeAll(async () => {
    server = await startChaosServer({ port: 0, ...options })
  })
  if (resetEachTest) beforeEach(() => server?.reset())
  afterAll(async () => {
    await server?.close()
  })
  return () => {
    if (!server) throw new Error('chaos server not started')
    return server
  }
}

/** A fresh key per test so per-key server state (flaky counters, buckets) never leaks between tests. */
export function uniqueKey(prefix = 'k'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`
}

/** A loopback port with nothing listening: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
