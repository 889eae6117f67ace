/**
 * The crawl of bench/cache.ts, built the same way in the parent and in each worker (a list of
 * 2,000 URLs is too long for a process argument).
 */
import { QUICK } from './config.js'

export const CRAWL = { urls: QUICK ? 500 : 2_000, repeated: 0.3, concurrency: 16, originMs: 50 } as const

/** A deterministic pseudo-random sequence (mulberry32), so every round and variant crawls the same list. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The crawl: unique pages in order, each repeat placed after its first visit. One page in five
 * says `max-age=0, must-revalidate` (every repeat is a conditional request, answered 304), the
 * others `max-age=300`; every page has an ETag and ~2 KB of body.
 */
export function crawl(run: string): string[] {
  const next = random(25)
  const unique = Math.round(CRAWL.urls * (1 - CRAWL.repeated))
  const pages = Array.from({ length: unique }, (_, i) => {
    const cc = i % 5 === 0 ? 'max-age%3D0%2Cmust-revalidate' : 'max-age%3D300'
    return `/cacheable/${run}-${i}?cc=${cc}&pad=2000&ms=${CRAWL.originMs}`
  })
  const urls = [...pages]
  for (let r = 0; r < CRAWL.urls - unique; r++) {
    const page = Math.floor(next() * unique)
    const at = urls.indexOf(pages[page] as string) + 1 + Math.floor(next() * (urls.length - urls.indexOf(pages[page] as string)))
    urls.splice(at, 0, pages[page] as string)
  }
  return urls
}

