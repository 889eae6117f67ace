/** Response headers as undici's handler API delivers them: name, value, name, value... */
export type RawHeaders = readonly (Buffer | string)[]

const text = (value: Buffer | string): string => (typeof value === 'string' ? value : value.toString('latin1'))

/**
 * The first value of header `name` (lower-case), read straight from the raw list. Used for the few
 * headers the transport itself needs (Location, Content-Encoding) without building `Headers`.
 */
export function rawHeader(raw: RawHeaders, name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!
    if (key.length === name.length && text(key).toLowerCase() === name) return text(raw[i + 1]!)
  }
  return undefined
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

// HTTP whitespace around a field value (RFC 9110 §5.5), which `Headers` strips too.
const OUTER_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g

/**
 * The response's `Headers`, filled from the raw list only when it is first iterated or changed.
 * `get()` and `has()`, which is all core and ofetch use per response, read the raw list directly,
 * saving the per-header validation and copies of a full `Headers` on the hot path. It is a real
 * `Headers` (`instanceof` holds, every method works); a header the class would refuse (invalid
 * bytes a lenient server sent) is dropped when filling, rather than failing the response.
 */
export class RawHeadersView extends Headers {
  #raw: RawHeaders | undefined

  constructor(raw: RawHeaders) {
    super()
    this.#raw = raw
  }

  override get(name: string): string | null {
    const raw = this.#raw
    if (!raw) return super.get(name)
    const wanted = name.toLowerCase()
    let value: string | null = null
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = raw[i]!
      if (key.length !== wanted.length || text(key).toLowerCase() !== wanted) continue
      const found = text(raw[i + 1]!).replace(OUTER_WHITESPACE, '')
      // Repeated fields are combined, as Headers.get() does (Fetch standard, "get").
      value = value === null ? found : `${value}, ${found}`
    }
    return value
  }

  override has(name: string): boolean {
    return this.#raw ? rawHeader(this.#raw, name.toLowerCase()) !== undefined : super.has(name)
  }

  override set(name: string, value: string): void {
    this.#fill()
    super.set(name, value)
  }

  override append(name: string, value: string): void {
    this.#fill()
    super.append(name, value)
  }

  override delete(name: string): void {
    this.#fill()
    super.delete(name)
  }

  override getSetCookie(): string[] {
    this.#fill()
    return super.getSetCookie()
  }

  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.#fill()
    super.forEach(callback, thisArg)
  }

  override entries(): HeadersIterator<[string, string]> {
    this.#fill()
    return super.entries()
  }

  override keys(): HeadersIterator<string> {
    this.#fill()
    return super.keys()
  }

  override values(): HeadersIterator<string> {
    this.#fill()
    return super.values()
  }

  override [Symbol.iterator](): HeadersIterator<[string, string]> {
    this.#fill()
    return super[Symbol.iterator]()
  }

  /** What `console.log` shows: the filled headers (Node's own inspector reads the internal list). */
  [INSPECT](...args: unknown[]): unknown {
    this.#fill()
    const inspect = (Headers.prototype as unknown as Record<symbol, ((...a: unknown[]) => unknown) | undefined>)[INSPECT]
    return inspect ? inspect.apply(this, args) : Object.fromEntries(this)
  }

  #fill(): void {
    const raw = this.#raw
    if (!raw) return
    this.#raw = undefined
    for (let i = 0; i + 1 < raw.length; i += 2) {
      try {
        super.append(text(raw[i]!), text(raw[i + 1]!))
      } catch {
        // dropped: see the class comment
      }
    }
  }
}
