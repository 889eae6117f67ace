import { cache, createClient } from 'volley'
import { chaosUrl } from '../../../shared/chaos.js'

/** How `cache()` served each call of {@link cacheScenario}, and what the bodies read back as. */
export interface CacheReport {
  /** `meta.cache` of each call, in order. */
  statuses: (string | undefined)[]
  /** The same body read as json, text, blob, arrayBuffer and stream from the cache equals the first. */
  sameBodies: boolean
  /** The If-None-Match the revalidation sent (the spec reads it at the server). */
  etag: string | null
}

/**
 * `cache()` in the page (docs/DESIGN.md#http-cache): a fresh page is answered from the store as
 * json, text, blob, arrayBuffer and a stream; a `no-cache` page is revalidated with a 304; a page
 * past `max-age` within `stale-while-revalidate` is served stale and revalidated in the background.
 */
export async function cacheScenario(args: { key: string }): Promise<CacheReport> {
  const policy = cache()
  const api = createClient({ baseURL: chaosUrl(), retry: 0, use: [policy] })
  const fresh = `/cacheable/${args.key}-fresh?key=${args.key}&cc=max-age%3D60`
  const statuses: (string | undefined)[] = []
  const first = await api.raw<{ id: string }>(fresh)
  statuses.push(first.meta.cache)
  const text = JSON.stringify(first.data)
  const asJson = await api.raw<{ id: string }>(fresh)
  const asText = await api.raw<string>(fresh, { responseType: 'text' })
  const asBlob = await api.raw<Blob>(fresh, { responseType: 'blob' })
  const asBuffer = await api.raw<ArrayBuffer>(fresh, { responseType: 'arrayBuffer' })
  const asStream = await api.raw<ReadableStream<Uint8Array>>(fresh, { responseType: 'stream' })
  statuses.push(asJson.meta.cache, asText.meta.cache, asBlob.meta.cache, asBuffer.meta.cache, asStream.meta.cache)
  const bodies = [JSON.stringify(asJson.data), JSON.stringify(JSON.parse(asText.data)), JSON.stringify(JSON.parse(await asBlob.data.text())), JSON.stringify(JSON.parse(new TextDecoder().decode(asBuffer.data))), JSON.stringify(JSON.parse(await new Response(asStream.data).text()))]

  const validated = `/cacheable/${args.key}-nocache?key=${args.key}&cc=no-cache`
  statuses.push((await api.raw(validated)).meta.cache, (await api.raw(validated)).meta.cache)

  const swr = `/cacheable/${args.key}-swr?key=${args.key}&cc=max-age%3D1%2Cstale-while-revalidate%3D60`
  statuses.push((await api.raw(swr)).meta.cache)
  // Past max-age=1, well within stale-while-revalidate=60.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  statuses.push((await api.raw(swr)).meta.cache)
  await policy.idle()
  statuses.push((await api.raw(swr)).meta.cache)
  return { statuses, sameBodies: bodies.every((body) => body === text), etag: first.headers.get('etag') }
}
