/**
 * The HTTP clients compared, in table order, and volley's "every policy on" configuration, which
 * the Node workers and the Chromium page share so that both benches measure the same thing.
 */
export const HTTP_CLIENTS = ['fetch', 'undici', 'ofetch', 'ky', 'axios', 'got', 'volley-core', 'volley-node'] as const
export type HttpClientName = (typeof HTTP_CLIENTS)[number]

export const LABELS: Record<HttpClientName, string> = {
  fetch: 'raw `fetch`',
  undici: '`undici.request`',
  ofetch: 'ofetch',
  ky: 'ky',
  axios: 'axios',
  got: 'got',
  'volley-core': 'volley core (`@volley/core`, global fetch)',
  'volley-node': 'volley Node entry (`@volley/node`, undici)',
}

/**
 * Every policy on: retry (the default, 2 retries), a timeout per phase, a pool as wide as the
 * load (so it admits every request but still does its bookkeeping), and metrics. `api` is the
 * entry's module (`createPool`, `createMetrics` come from the same copy of volley as the client).
 */
export const VOLLEY_TIMEOUTS = { total: 30_000, attempt: 10_000, idle: 5_000 } as const
export interface VolleyFactories {
  createPool(options: { concurrency: number }): object
  createMetrics(): object
}
export function volleyPolicies(api: VolleyFactories, concurrency: number): { timeout: typeof VOLLEY_TIMEOUTS; pool: object; metrics: object } {
  return { timeout: VOLLEY_TIMEOUTS, pool: api.createPool({ concurrency }), metrics: api.createMetrics() }
}
