import type { Meta, Transport } from '@volley/core'

/** What a failed call rejects with, as the tests read it: an error with volley's `code`, `meta` and `attempts` where it has them. */
export type Failure = Error & { code?: string; meta?: Meta; attempts?: number }

/**
 * The error `promise` rejects with (typed as `E`); fails the test if it resolves instead, or, given
 * a guard `is` (`isTimeoutError`), if it rejects with anything `is` does not accept.
 */
export function failure<E = Failure>(promise: Promise<unknown>, is?: (error: unknown) => error is E): Promise<E> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => {
      if (is !== undefined && !is(error)) throw new Error(`expected the call to fail with an error ${is.name} accepts, got ${String(error)}`, { cause: error })
      return error as E
    },
  )
}

/** An error with a Node-style `code` (a socket's or undici's), as a transport's failure or its `cause`. */
export const coded = (code: string, message = code): Error => Object.assign(new Error(message), { code })

/** A transport that fails every call as Node's fetch does on a reset socket (`fetch failed`, cause `ECONNRESET`), counting the calls. */
export function resettingTransport(): Transport & { readonly calls: number } {
  const transport = Object.assign(
    async (): Promise<Response> => {
      transport.calls++
      throw new TypeError('fetch failed', { cause: coded('ECONNRESET') })
    },
    { calls: 0 },
  )
  return transport
}
