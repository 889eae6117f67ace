/** One request the chaos server answered, recorded when it arrived. */
export interface Hit {
  /** Route name, e.g. `'json'`, `'flaky'`, `'preflight'`, `'not-found'`. */
  readonly route: string
  readonly method: string
  /** Path below the handler's `basePath`, without the query string. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** Request headers, lower-case names; repeated headers joined with `', '`. */
  readonly headers: Readonly<Record<string, string>>
  /** Arrival time in epoch ms with sub-ms precision (`performance.timeOrigin + performance.now()`). */
  readonly time: number
}

/** In-flight bookkeeping of `/concurrency` for one key. */
export interface ConcurrencySnapshot {
  /** Requests held right now. */
  readonly current: number
  /** Highest `current` ever seen since the last reset. */
  readonly max: number
}

/**
 * What the server saw. Read it from the test process directly, or over HTTP
 * from another process with `GET /__stats`.
 *
 * @example
 * await fetch(`${server.url}/flaky?key=a&fail=2`)
 * server.stats.count('flaky') // 1
 * server.stats.byRoute('flaky')[0]?.query.key // 'a'
 */
export interface ChaosStats {
  /** Recorded hits, oldest first (a snapshot copy); bounded by `maxRecorded`, empty when `record` is false. */
  readonly hits: readonly Hit[]
  /**
   * Hits since the last reset, for one route or all. Counts every hit, also
   * those evicted from `hits` or not stored because `record` is false.
   */
  count(route?: string): number
  /** Recorded hits of one route, oldest first. */
  byRoute(route: string): Hit[]
  /** `/concurrency` in-flight numbers for a key. @default key 'default' */
  concurrency(key?: string): ConcurrencySnapshot
}

/** Options shared by the server and the handler. */
export interface RecordOptions {
  /** Store each hit (route, method, path, query, headers, time). @default true */
  record?: boolean
  /** Hits kept; the oldest are dropped beyond it. @default 10_000 */
  maxRecorded?: number
}

interface ConcurrencyRecord {
  current: number
  max: number
}

/** The writable side of the stats, used by the handler and `/concurrency`. */
export interface StatsRecorder {
  readonly stats: ChaosStats
  readonly recording: boolean
  /** Counts a hit without storing it (used when `record` is false). */
  tally(route: string): void
  record(hit: Hit): void
  /** Marks one request in flight for `key`; returns the count at arrival and a release function. */
  enter(key: string): { current: number; leave: () => void }
  reset(): void
}

/** Creates the stats store: a ring buffer of hits plus per-route and per-key counters. */
export function createStatsRecorder(options: RecordOptions = {}): StatsRecorder {
  const recording = options.record ?? true
  const capacity = Math.max(0, options.maxRecorded ?? 10_000)
  // A ring, so that a 20,000-request benchmark costs one array slot write per hit
  // and memory stays bounded however long a dev server runs.
  let ring: Hit[] = []
  let head = 0
  let total = 0
  let counts = new Map<string, number>()
  let inFlight = new Map<string, ConcurrencyRecord>()

  const tally = (route: string): void => {
    total++
    counts.set(route, (counts.get(route) ?? 0) + 1)
  }

  const ordered = (): Hit[] =>
    ring.length < capacity ? ring.slice() : [...ring.slice(head), ...ring.slice(0, head)]

  const stats: ChaosStats = {
    get hits() {
      return ordered()
    },
    count: (route) => (route === undefined ? total : (counts.get(route) ?? 0)),
    byRoute: (route) => ordered().filter((hit) => hit.route === route),
    concurrency: (key = 'default') => {
      const rec = inFlight.get(key)
      return { current: rec?.current ?? 0, max: rec?.max ?? 0 }
    },
  }

  return {
    stats,
    recording,
    tally,
    record(hit) {
      tally(hit.route)
      if (!recording || capacity === 0) return
      if (ring.length < capacity) {
        ring.push(hit)
      } else {
        ring[head] = hit
        head = (head + 1) % capacity
      }
    },
    enter(key) {
      let rec = inFlight.get(key)
      if (!rec) {
        rec = { current: 0, max: 0 }
        inFlight.set(key, rec)
      }
      // Capture the record object: a reset() while this request is held swaps
      // the map, and the late release must not drive the new record negative.
      const held = rec
      held.current++
      held.max = Math.max(held.max, held.current)
      let released = false
      return {
        current: held.current,
        leave: () => {
          if (released) return
          released = true
          held.current--
        },
      }
    },
    reset() {
      ring = []
      head = 0
      total = 0
      counts = new Map()
      inFlight = new Map()
    },
  }
}
