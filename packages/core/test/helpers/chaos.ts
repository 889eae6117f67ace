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

/** A request path the server holds until the test lets it answer (see {@link holdAtServer}). */
export interface Held {
  /** The `/concurrency` key: `server().stats.concurrency(key).current` counts the held requests. */
  readonly key: string
  /** The path to send the request to; every request of it waits for `release()`. */
  readonly path: string
  /** Lets the waiting request answer: the test's own request completes the barrier. */
  release(): Promise<void>
}

/**
 * A request held at the server until the test says: a `/concurrency` barrier of two whose second
 * member is the test's own request. A test that needs an answer to come after something else
 * happened releases it then, instead of giving the server a delay and hoping it outlasts the
 * client's work on a loaded machine (docs/DESIGN.md#tests).
 */
export function holdAtServer(server: () => ChaosServer, key = uniqueKey('held')): Held {
  const path = `/concurrency?ms=0&until=2&key=${key}`
  return {
    key,
    path,
    release: async () => void (await (await fetch(`${server().url}${path}`)).arrayBuffer()),
  }
}
