/**
 * What the React and Vue apps' TanStack Query sections share: the volley clients and the query
 * functions. This is the recipe the README shows: a `queryFn` hands TanStack's `signal` to volley,
 * volley retries (TanStack's `retry: false`), and errors reach the query as volley's typed errors.
 */
import { createClient, createPool, isVolleyError, map, progress, streamNdjson, validation, type VolleyError } from 'volley'
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

/** The profile (`/json`, validated), or any other path as it comes (the slow `/tail` of the refetch scenario). */
export const profileQuery = (path: string) => ({
  queryKey: ['profile', path],
  queryFn: ({ signal }: { signal: AbortSignal }): Promise<Partial<Profile> & { n?: number }> =>
    path === '/json' ? tq.get(path, { signal, schema: Profile }) : tq.get<{ n: number }>(path, { signal }),
})

/** Depends on the profile: runs once `hello` is known. */
export const greetingQuery = (hello: string | undefined) => ({
  queryKey: ['greeting', hello],
  queryFn: ({ signal }: { signal: AbortSignal }) => tq.get<{ query: { of: string } }>('/echo', { signal, query: { of: hello } }),
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
    for await (const row of streamNdjson(tq, '/ndjson', { signal, query: { count: 5, page: pageParam }, schema: z.object({ i: z.number() }) })) rows.push(pageParam * 5 + row.i)
    return rows
  },
  getNextPageParam: (_last: number[], pages: number[][]) => (pages.length < 3 ? pages.length : undefined),
})

/** A query on an origin that fails 5 times per key: volley's 3 attempts, then a typed error. */
export const failingQuery = (key: string) => ({
  queryKey: ['failing', key],
  queryFn: ({ signal }: { signal: AbortSignal }) => tq.get('/flaky', { signal, query: { key, fail: 5 } }),
})

/** How an error reads on the page: volley's class, code, status and attempts. */
export function describeError(error: unknown): string {
  if (!isVolleyError(error)) return String(error)
  const e = error as VolleyError & { status?: number }
  return `${e.name} ${e.code}${e.status ? ` ${e.status}` : ''} after ${e.attempts} attempts`
}

/** Uploads `bytes` with progress reported to `onPercent`. */
export function upload(bytes: number, onPercent: (percent: number) => void, signal?: AbortSignal): Promise<{ bytes: number }> {
  return uploads.post<{ bytes: number }>('/upload', { body: new Blob([new Uint8Array(bytes)]), signal, onUploadProgress: (p) => onPercent(Math.round(p.percent ?? 0)) })
}
