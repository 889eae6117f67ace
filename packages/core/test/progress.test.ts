import { describe, expect, it } from 'vitest'
import { createManualClock } from '../src/runtime/manual-clock.js'
import { bodySize, createProgressTracker, type Progress } from '../src/streaming/progress.js'

function track(options: { total?: number; interval?: number } = {}) {
  const clock = createManualClock(1_000)
  const events: Progress[] = []
  const tracker = createProgressTracker({ ...options, clock, onProgress: (p) => events.push(p) })
  return { clock, events, tracker }
}

describe('createProgressTracker', () => {
  it('fires the first event at creation with nothing loaded', () => {
    const { events } = track({ total: 100 })
    expect(events).toEqual([{ loaded: 0, total: 100, percent: 0, bytesPerSecond: 0, etaMs: undefined, done: false }])
  })

  it('emits at most one event per interval while many chunks arrive at the same time', () => {
    const { events, tracker } = track({ total: 10_000 })
    for (let i = 0; i < 1_000; i++) tracker.add(10)
    expect(events).toHaveLength(1)
    expect(tracker.loaded).toBe(10_000)
  })

  it('keeps to one event per interval when its timer fires early by the clock (as a Node timer may after a long tick)', () => {
    let now = 1_000
    const timers: Array<() => void> = []
    const clock = { now: () => now, setTimeout: (callback: () => void) => timers.push(callback), clearTimeout: () => {} }
    const events: number[] = []
    const tracker = createProgressTracker({ total: 1_000, clock, onProgress: (p) => events.push(p.loaded) })
    now = 1_010
    tracker.add(100) // inside the first window: a timer for its end, at 1050
    now = 1_040
    timers.shift()!() // the timer fires 10 ms early by the clock
    expect(events).toEqual([0])
    expect(timers).toHaveLength(1) // armed again for the rest of the window
    now = 1_050
    timers.shift()!()
    expect(events).toEqual([0, 100])
  })

  it('emits again once the interval has passed, with rate and eta', async () => {
    const { clock, events, tracker } = track({ total: 1_000 })
    tracker.add(100)
    await clock.advance(49)
    tracker.add(100)
    expect(events).toHaveLength(1)
    // The window closes: a trailing event reports what arrived inside it.
    await clock.advance(1)
    expect(events).toHaveLength(2)
    // 200 bytes in 50 ms = 4000 B/s; 800 bytes left at that rate.
    expect(events[1]).toEqual({ loaded: 200, total: 1_000, percent: 20, bytesPerSecond: 4_000, etaMs: 200, done: false })
    tracker.add(100)
    expect(events).toHaveLength(2) // throttled until the next window closes
    await clock.advance(50)
    expect(events[2]).toMatchObject({ loaded: 300, percent: 30 })
  })

  it('emits every chunk when the interval is 0', () => {
    const { events, tracker } = track({ interval: 0 })
    tracker.add(1)
    tracker.add(1)
    expect(events.map((e) => e.loaded)).toEqual([0, 1, 2])
  })

  it('reports a loaded count that never decreases', async () => {
    const { clock, events, tracker } = track({ total: 5_000 })
    for (let i = 0; i < 100; i++) {
      tracker.add(i % 7)
      await clock.advance(13)
    }
    tracker.finish()
    const loaded = events.map((e) => e.loaded)
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b))
    expect(events.length).toBeGreaterThan(10)
  })

  it('ends with a done event carrying the exact count, percent 100 and eta 0', async () => {
    const { clock, events, tracker } = track({ total: 250 })
    tracker.add(100)
    await clock.advance(10)
    tracker.add(150)
    tracker.finish()
    expect(events.at(-1)).toEqual({ loaded: 250, total: 250, percent: 100, bytesPerSecond: 25_000, etaMs: 0, done: true })
    expect(events.filter((e) => e.done)).toHaveLength(1)
  })

  it('leaves percent and eta undefined while the total is unknown, until done', async () => {
    const { clock, events, tracker } = track()
    tracker.add(10)
    await clock.advance(100) // the trailing event at 50 ms reports the first 10 bytes
    tracker.add(10) // a window has passed since: emitted at once
    tracker.finish()
    expect(events.map((e) => [e.loaded, e.percent, e.etaMs, e.total])).toEqual([
      [0, undefined, undefined, undefined],
      [10, undefined, undefined, undefined],
      [20, undefined, undefined, undefined],
      [20, 100, 0, undefined],
    ])
    expect(events[1]?.bytesPerSecond).toBe(200) // 10 bytes in 50 ms
  })

  it('clamps percent at 100 and eta at 0 when more than the total arrives', async () => {
    const { clock, events, tracker } = track({ total: 100, interval: 0 })
    await clock.advance(10)
    tracker.add(150)
    expect(events.at(-1)).toMatchObject({ loaded: 150, total: 100, percent: 100, etaMs: 0, done: false })
  })

  it('reports an empty body as complete', () => {
    const { events } = track({ total: 0 })
    expect(events[0]).toMatchObject({ percent: 100, etaMs: 0 })
  })

  it('makes finish idempotent and ignores bytes after it', () => {
    const { events, tracker } = track({ total: 10, interval: 0 })
    tracker.add(10)
    tracker.finish()
    tracker.finish()
    tracker.add(5)
    expect(events.filter((e) => e.done)).toHaveLength(1)
    expect(events.at(-1)?.done).toBe(true)
    expect(tracker.loaded).toBe(10)
    expect(tracker.done).toBe(true)
  })

  it('lets a callback error reach the caller and still never emits after done', () => {
    const clock = createManualClock()
    let calls = 0
    const tracker = createProgressTracker({
      clock,
      interval: 0,
      onProgress: (p) => {
        calls++
        if (p.done) throw new Error('render failed')
      },
    })
    expect(() => tracker.finish()).toThrow('render failed')
    tracker.finish()
    expect(calls).toBe(2)
  })

  it('rejects a negative byte count and invalid options with a TypeError', () => {
    const { tracker } = track()
    expect(() => tracker.add(-1)).toThrow(TypeError)
    expect(() => tracker.add(Number.NaN)).toThrow(/expected a byte count >= 0, got NaN/)
    expect(() => createProgressTracker({ onProgress: () => {}, interval: -5 })).toThrow(/interval.*got -5/)
    expect(() => createProgressTracker({ onProgress: () => {}, total: Number.NaN })).toThrow(TypeError)
  })
})

describe('bodySize', () => {
  const encoded = (text: string): number => new TextEncoder().encode(text).byteLength

  it('counts nothing for a missing body', () => {
    expect(bodySize(null)).toBe(0)
    expect(bodySize(undefined)).toBe(0)
  })

  it('counts the UTF-8 bytes of a string, multi-byte characters included', () => {
    expect(bodySize('')).toBe(0)
    expect(bodySize('hello')).toBe(5)
    expect(bodySize('é')).toBe(2)
    expect(bodySize('€')).toBe(3)
    expect(bodySize('😀')).toBe(4)
    for (const text of ['héllo €uro 😀 ok', 'ascii', '\u{10FFFF}\u0800\u07ff\u007f'.repeat(100)]) {
      expect(bodySize(text)).toBe(encoded(text))
    }
  })

  it('counts a lone surrogate as the 3-byte replacement character the encoder sends', () => {
    for (const text of ['\ud83d', 'a\ud83db', '\ude00x', 'end\ud83d']) expect(bodySize(text)).toBe(encoded(text))
  })

  it('uses the size of a Blob or File', () => {
    expect(bodySize(new Blob(['abc', new Uint8Array(5)]))).toBe(8)
    expect(bodySize(new File(['€'], 'a.txt'))).toBe(3)
  })

  it('uses the byte length of buffers, typed arrays and views', () => {
    expect(bodySize(new ArrayBuffer(7))).toBe(7)
    expect(bodySize(new Uint8Array(16))).toBe(16)
    expect(bodySize(new Uint32Array(4))).toBe(16)
    expect(bodySize(new DataView(new ArrayBuffer(10), 2, 3))).toBe(3)
    expect(bodySize(new Uint8Array(new ArrayBuffer(10), 4))).toBe(6)
  })

  it('counts the serialized bytes of URLSearchParams', () => {
    const params = new URLSearchParams({ q: 'café €', n: '1' })
    expect(bodySize(params)).toBe(encoded(params.toString()))
  })

  it('does not guess the size of FormData, streams or other values', () => {
    const form = new FormData()
    form.set('a', 'b')
    expect(bodySize(form)).toBeUndefined()
    expect(bodySize(new ReadableStream())).toBeUndefined()
    expect(bodySize({ a: 1 })).toBeUndefined()
    expect(bodySize(42)).toBeUndefined()
  })
})
