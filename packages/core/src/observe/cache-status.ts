/** How the HTTP cache served a call (`meta.cache`, the `cache` event; docs/DESIGN.md#http-cache). */
export type CacheStatus = 'hit' | 'stale' | 'revalidated' | 'miss'
