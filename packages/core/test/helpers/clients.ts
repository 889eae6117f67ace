import { afterEach } from 'vitest'
import type { Client, VolleyOptions } from '@volley/core'

/** The client factory under test: core's `createClient` or the Node entry's. */
export type MakeClient = (options?: VolleyOptions) => Client

/** What {@link useClients} gives a suite. */
export interface TestClients {
  /** A client of the factory under test, closed after the test. */
  client(options?: VolleyOptions): Client
  /** Runs `cleanup` after the test (an MSW server, a dispatcher...); the last one added runs first. */
  defer(cleanup: () => unknown): void
}

/**
 * Clients of `makeClient` for the tests of the calling `describe` block, each closed after its
 * test with whatever else the test deferred, in reverse order: no client outlives its test.
 */
export function useClients(makeClient: MakeClient): TestClients {
  const cleanups: (() => unknown)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  const defer = (cleanup: () => unknown): void => void cleanups.push(cleanup)
  return {
    client(options) {
      const api = makeClient(options)
      defer(() => api.close())
      return api
    },
    defer,
  }
}
