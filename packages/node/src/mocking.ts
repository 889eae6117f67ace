import type { TransportAttempt } from '@volley/core'
import type { Dispatcher } from 'undici'

/**
 * When the Node transport steps aside for test doubles.
 *
 * The transport talks to undici's dispatcher API directly, which bypasses both ways Node code
 * is usually mocked: MSW (`msw/node`, through @mswjs/interceptors) replaces `globalThis.fetch` and
 * patches `http`/`ClientRequest`, and undici's `MockAgent` is installed with
 * `setGlobalDispatcher()`. The rule, checked on every request:
 *
 * 1. `globalThis.fetch` is not the fetch that was global when @volley/node was loaded (MSW's
 *    `server.listen()`, a `vi.stubGlobal('fetch', ...)`, any polyfill installed later), or an
 *    @mswjs/interceptors `FetchInterceptor` (what `msw/node` uses) is applied: it registers itself
 *    under `Symbol.for('fetch-interceptor')` while active, which also catches MSW started before
 *    the import. The request goes through `globalThis.fetch`, as core's default transport would
 *    send it.
 * 2. Otherwise, a global dispatcher was set (`setGlobalDispatcher`, from npm's undici or Node's
 *    bundled copy: both keep it under `Symbol.for('undici.globalDispatcher.1')`): the request goes
 *    through that dispatcher. "Set" means: it is not the one found when @volley/node was loaded,
 *    or it is anything but a plain `Agent` (a MockAgent, a ProxyAgent, a composed dispatcher),
 *    which also catches one installed before the import.
 * 3. Otherwise (the normal case): the transport's own Agent, with its keep-alive pool, connect
 *    timeout and connection timings.
 *
 * A transport given a `dispatcher` explicitly never steps aside: its owner chose.
 */

/** Where undici (npm and Node's bundled copy alike) keeps the global dispatcher. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')

type Slot = Record<symbol, Dispatcher | undefined>

// Snapshots taken when this module is evaluated. `undici` is imported before it (transport.ts
// imports dispatcher.ts first), and undici installs its default Agent on import when none is set.
const bootFetch: typeof fetch | undefined = globalThis.fetch
const bootDispatcher: Dispatcher | undefined = (globalThis as unknown as Slot)[GLOBAL_DISPATCHER]

/** Where an applied @mswjs/interceptors FetchInterceptor keeps itself. */
const FETCH_INTERCEPTOR = Symbol.for('fetch-interceptor')

/** The replaced `globalThis.fetch` to send through (rule 1), or undefined. */
export function replacedFetch(): typeof fetch | undefined {
  const current = globalThis.fetch
  if (typeof current !== 'function') return undefined
  const intercepted = (globalThis as unknown as Record<symbol, unknown>)[FETCH_INTERCEPTOR] !== undefined
  return current !== bootFetch || intercepted ? current : undefined
}

/** The global dispatcher a user installed (rule 2), or undefined for undici's default. */
export function installedDispatcher(): Dispatcher | undefined {
  const current = (globalThis as unknown as Slot)[GLOBAL_DISPATCHER]
  if (current === undefined || current === null) return undefined
  if (current !== bootDispatcher) return current
  return (current as object).constructor?.name === 'Agent' ? undefined : current
}

/**
 * Sends a request through a replaced `fetch` (rule 1). volley's private init keys (symbols) are
 * dropped; a stream body gets the `duplex: 'half'` that fetch requires for it.
 */
export function sendThroughFetch(replaced: typeof fetch, input: string | URL | Request, init: RequestInit = {}, attempt?: TransportAttempt): Promise<Response> {
  const plain: RequestInit & { duplex?: 'half' } = Object.fromEntries(Object.entries(init))
  if (attempt && !plain.signal) {
    // This transport aborts through the attempt's own token; fetch needs a real signal.
    const controller = new AbortController()
    const source = attempt.signal
    if (source.aborted) controller.abort(source.reason)
    else source.addEventListener('abort', () => controller.abort(source.reason))
    plain.signal = controller.signal
  }
  const body = plain.body as unknown
  const streaming = typeof (body as ReadableStream | null)?.getReader === 'function' || typeof (body as { pipe?: unknown } | null)?.pipe === 'function'
  if (streaming && plain.duplex === undefined) plain.duplex = 'half'
  return replaced(input, plain)
}
