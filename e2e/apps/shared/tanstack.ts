/**
 * What the React and Vue apps' TanStack Query sections share: the volley clients and the query
 * functions. This is the recipe the README shows: a `queryFn` hands TanStack's `signal` to volley,
 * volley retries (TanStack's `retry: false`), and errors reach the query as volley's typed errors.
 */
import { createClient, createPool, isHTTPError, isVolleyError, map, progress, streamNdjson, validation } from 'volley'
import { z } from 'zod'
import { chaosUrl } from './chaos.js'

/** The app's client: retries twice with a short backoff, validates with `schema` when asked. */
export const tq = createClient({ baseURL: chaosUrl(), timeout: { total: 120_000 }, retry: { limit: 2, delay: 10, jitter: 'none' }, use: [validation()] })
/** Uploads go through `progress()` (XHR in browsers), for a mutation's progress bar. */
export const uploads = createClient({ baseURL: chaosUrl(), timeout: { total: 60_000 }, retry: 0, use: [progress()] })
/** Page items go through a client with a pool of 2: never more than two in flight. */
const paged = tq.extend({ pool: createPool({ concurrency: 2 }) })

/** The chaos server's /json, validated (a profile). */
export const Profile = z.object({ hello: z.string(), nested: z.object({ a: z.string() }) })
export type Profile = z.infer<typeof Profile>

/** TanStack's default retries would multiply volley's: volley retries, TanStack does not. */
export const queryDefaults = { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } } as const

/** The profile (`/json?key=`, validated), or any other path as it comes (the slow `/tail` of the refetch scenario). */
export const profileQuery = (path: string) => ({
  queryKey: ['profile', path],
  queryFn: ({ signal }: { signal: AbortSignal }): Promise<Partial<Profile> & { n?: number }> =>
    path.startsWith('/json') ? tq.get(path, { signal, schema: Profile }) : tq.get<{ n: number }>(path, { signal }),
})

/** Depends on the profile: runs once `hello` is known (the server sees it after the profile, once). */
export const greetingQuery = (key: string, hello: string | undefined) => ({
  queryKey: ['greeting', key, hello],
  queryFn: ({ signal }: { signal: AbortSignal }) => tq.get<{ query: { of: string } }>('/echo', { signal, query: { key, of: hello } }),
  enabled: hello !== undefined,
})

export const PAGE_SIZE = 6

/** One page of items, fetched item by item with `map` under a pool of 2. */
export const pageQuery = (key: string, page: number) => ({
  queryKey: ['page', key, page],
  queryFn: async ({ signal }: { signal: AbortSignal }) => {
    const items = Array.from({ length: PAGE_SIZE }, (_, i) => page * PAGE_SIZE + i + 1)
    const answers = await map(items, (item, _i, itemSignal) => paged.get<{ current: number }>('/concurrency', { signal: itemSignal, query: { ms: 40, key, item } }), { signal })
    return { items, answers: answers.length }
  },
})

/** An infinite NDJSON feed: each page is 5 rows read with streamNdjson, three pages at most. */
export const feedQuery = (key: string) => ({
  queryKey: ['feed', key],
  initialPageParam: 0,
  queryFn: async ({ pageParam, signal }: { pageParam: number; signal: AbortSignal }) => {
    const rows: number[] = []
    for await (const row of streamNdjson(tq, '/ndjson', { signal, query: { key, count: 5, page: pageParam }, schema: z.object({ i: z.number() }) })) rows.push(pageParam * 5 + row.i)
    return rows
  },
  getNextPageParam: (_last: number[], pages: number[][]) => (pages.length < 3 ? pages.length : undefined),
})

/** A query on an origin that fails 5 times per key: volley's 3 attempts, then a typed error. */
export const failingQuery = (key: string) => ({
  queryKey: ['failing', key],
  queryFn: ({ signal }: { signal: AbortSignal }) => tq.get('/flaky', { signal, query: { key, fail: 5 } }),
})

/**
 * How an error reads on the page: TanStack hands the query volley's own error object, so the
 * guards narrow it (`isHTTPError` gives `status`), and `code` and `attempts` are there to read.
 */
export function describeError(error: unknown): string {
  if (isHTTPError(error)) return `HTTPError ${error.code} ${error.status} after ${error.attempts} attempts`
  if (isVolleyError(error)) return `${error.name} ${error.code} after ${error.attempts} attempts`
  return `not a volley error: ${String(error)}`
}

/** Uploads `bytes` to `/upload?key=` with progress reported to `onPercent`. */
export function upload(key: string, bytes: number, onPercent: (percent: number) => void, signal?: AbortSignal): Promise<{ bytes: number }> {
  return uploads.post<{ bytes: number }>('/upload', { body: new Blob([new Uint8Array(bytes)]), query: { key }, signal, onUploadProgress: (p) => onPercent(Math.round(p.percent ?? 0)) })
}
