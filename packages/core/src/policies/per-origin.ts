/**
 * What the resilience policies keep per origin: a bounded map of state, and counters over a
 * sliding window. O(1) memory per origin and no timer: the window moves when it is used.
 */

/** Per-origin state, made on first use, at most `max` origins (the least recently used is forgotten first). */
export class PerOrigin<T> {
  readonly #entries = new Map<string, T>()

  constructor(
    readonly create: (origin: string) => T,
    readonly max = 1024,
  ) {}

  /** The origin's state, or undefined when it has none (nothing is made). */
  peek(origin: string): T | undefined {
    return this.#entries.get(origin)
  }

  /** The origin's state, made when missing; a touched origin becomes the most recently used. */
  get(origin: string): T {
    const entries = this.#entries
    let entry = entries.get(origin)
    if (entry !== undefined) entries.delete(origin)
    else {
      if (entries.size >= this.max) entries.delete(entries.keys().next().value as string)
      entry = this.create(origin)
    }
    entries.set(origin, entry)
    return entry
  }
}

const BUCKETS = 10

/** `counters` counters over a sliding window of `window` ms, kept in 10 buckets. */
export class SlidingCounters {
  readonly #counts: Float64Array
  readonly #width: number
  /** The bucket number (time / width) the newest bucket stands for. */
  #epoch = 0

  constructor(
    window: number,
    readonly counters: number,
  ) {
    this.#width = window / BUCKETS
    this.#counts = new Float64Array(BUCKETS * counters)
  }

  /** Moves the window to `now`, emptying the buckets that fell out of it. */
  advance(now: number): this {
    const bucket = Math.floor(now / this.#width)
    const steps = bucket - this.#epoch
    if (steps <= 0) return this
    const { counters } = this
    if (steps >= BUCKETS) this.#counts.fill(0)
    else {
      for (let step = 1; step <= steps; step++) {
        const at = ((this.#epoch + step) % BUCKETS) * counters
        this.#counts.fill(0, at, at + counters)
      }
    }
    this.#epoch = bucket
    return this
  }

  add(counter: number): void {
    this.#counts[(this.#epoch % BUCKETS) * this.counters + counter]!++
  }

  sum(counter: number): number {
    let total = 0
    for (let i = counter; i < this.#counts.length; i += this.counters) total += this.#counts[i]!
    return total
  }

  clear(): void {
    this.#counts.fill(0)
  }
}
