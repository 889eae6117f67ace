/**
 * What volley's core tells the transport about the call behind one `fetch(input, init)`.
 *
 * The connect timeout is a phase of volley's `timeout` option, so it is resolved per call by core,
 * while only the transport can enforce it. Core hands it over on the init object:
 * - `init[Symbol.for('volley.connectTimeout')]`: the call's `timeout.connect` in ms, or `false`;
 * - failing that, the attempt state core already attaches (`Symbol.for('volley.attempt')`), whose
 *   resolved options carry `timeout.connect`.
 * A plain fetch-style call (no volley around it) has neither.
 */
const CONNECT_TIMEOUT = Symbol.for('volley.connectTimeout')
const ATTEMPT = Symbol.for('volley.attempt')

/** `undefined`: not sent by volley. `{ limit }`: the call's connect deadline (undefined = none). */
export function callConnectTimeout(init: RequestInit): { limit: number | undefined } | undefined {
  const carrier = init as Record<symbol, unknown>
  if (CONNECT_TIMEOUT in carrier) {
    const value = carrier[CONNECT_TIMEOUT]
    return { limit: typeof value === 'number' && value > 0 ? value : undefined }
  }
  const timeout = (carrier[ATTEMPT] as { options?: { timeout?: { connect?: unknown } } } | undefined)?.options?.timeout
  if (!timeout) return undefined
  return { limit: typeof timeout.connect === 'number' ? timeout.connect : undefined }
}
