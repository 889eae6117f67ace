import { describe, expect, it } from 'vitest'
import { asCompleted, isAbortError, isVolleyError, map, settle, TimeoutError, type Settled } from '@volley/core'

interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
  reject(error: unknown): void
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

/** A fn whose calls wait for the test to settle them; records calls, in-flight count and signals. */
function controlled<R = number>() {
  const calls: Array<{ index: number; signal: AbortSignal; done: Deferred<R>; settled: boolean }> = []
  let inFlight = 0
  let maxInFlight = 0
  const fn = async (_item: unknown, index: number, signal: AbortSignal): Promise<R> => {
    const call = { index, signal, done: deferred<R>(), settled: false }
    calls.push(call)
    maxInFlight = Math.max(maxInFlight, ++inFlight)
    try {
      return await call.done.promise
    } finally {
      inFlight--
      call.settled = true
    }
  }
  return {
    fn,
    calls,
    get inFlight() {
      return inFlight
    },
    get maxInFlight() {
      return maxInFlight
    },
  }
}

/** A generator that counts how many items were pulled from it and whether it was closed. */
function counted(total: number) {
  const state = { pulled: 0, closed: false }
  function* items(): Generator<number> {
    try {
      for (let i = 0; i < total; i++) {
        state.pulled++
        yield i
      }
    } finally {
      state.closed = true
    }
  }
  return { items: items(), state }
}

describe('map', () => {
  it('resolves with the results in input order whatever the completion order', async () => {
    const run = controlled<string>()
    const result = map(['a', 'b', 'c', 'd'], run.fn)
    await flush()
    for (const index of [2, 0, 3, 1]) run.calls[index]!.done.resolve(`result ${index}`)
    await expect(result).resolves.toEqual(['result 0', 'result 1', 'result 2', 'result 3'])
  })

  it('never runs more than concurrency calls at once and pulls items lazily', async () => {
    const run = controlled()
    const source = counted(10)
    const result = map(source.items, run.fn, { concurrency: 3 })
    await flush()
    expect([run.inFlight, source.state.pulled]).toEqual([3, 3])
    run.calls[1]!.done.resolve(1)
    await flush()
    expect([run.inFlight, source.state.pulled]).toEqual([3, 4])
    for (let i = 0; i < 10; i++) {
      run.calls[i]?.done.resolve(i)
      await flush()
      expect(run.inFlight).toBeLessThanOrEqual(3)
    }
    await expect(result).resolves.toHaveLength(10)
    expect(run.maxInFlight).toBe(3)
    expect(source.state.pulled).toBe(10)
  })

  it('pulls an async generator lazily too', async () => {
    const run = controlled()
    let pulled = 0
    async function* items(): AsyncGenerator<number> {
      for (let i = 0; i < 5; i++) {
        pulled++
        yield i
      }
    }
    const result = map(items(), run.fn, { concurrency: 2 })
    await flush()
    expect(pulled).toBe(2)
    run.calls[0]!.done.resolve(0)
    await flush()
    expect(pulled).toBe(3)
    for (let i = 1; i < 5; i++) {
      run.calls[i]?.done.resolve(i)
      await flush()
    }
    await expect(result).resolves.toEqual([0, 1, 2, 3, 4])
  })

  it('aborts the others on the first error and rejects with it only after every started call settled', async () => {
    const run = controlled()
    const source = counted(10)
    const boom = new Error('boom')
    let rejected = false
    const result = map(source.items, run.fn, { concurrency: 3 }).catch((error: unknown) => {
      rejected = true
      return error
    })
    await flush()
    run.calls[1]!.done.reject(boom)
    await flush()
    expect(run.calls.map((call) => call.signal.aborted)).toEqual([true, true, true])
    expect(isAbortError(run.calls[0]!.signal.reason)).toBe(true)
    expect(rejected).toBe(false) // calls 0 and 2 are still running
    run.calls[0]!.done.resolve(0)
    await flush()
    expect(rejected).toBe(false)
    run.calls[2]!.done.reject(run.calls[2]!.signal.reason)
    await expect(result).resolves.toBe(boom)
    expect(run.calls).toHaveLength(3) // nothing new started
    expect(run.calls.every((call) => call.settled)).toBe(true)
    expect(source.state).toEqual({ pulled: 3, closed: true })
  })

  it('runs everything with stopOnError false and rejects with every failure in input order', async () => {
    const calls: number[] = []
    const result = map(
      [0, 1, 2, 3, 4],
      async (item) => {
        calls.push(item)
        await flush()
        if (item % 2 === 0) throw new Error(`failed ${item}`)
        return item
      },
      { stopOnError: false, concurrency: 2 },
    )
    const error = await result.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AggregateError)
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['failed 0', 'failed 2', 'failed 4'])
    expect((error as AggregateError).message).toBe('map: 3 of 5 calls failed')
    expect(calls).toEqual([0, 1, 2, 3, 4])
  })

  it('starts nothing new once the signal aborts and rejects with an AbortError after every started call settled', async () => {
    const run = controlled()
    const controller = new AbortController()
    let rejected = false
    const result = map([1, 2, 3, 4, 5, 6], run.fn, { concurrency: 2, signal: controller.signal }).catch((error: unknown) => {
      rejected = true
      return error
    })
    await flush()
    const reason = new Error('user left the page')
    controller.abort(reason)
    await flush()
    expect(run.calls.map((call) => call.signal.reason)).toEqual([reason, reason])
    expect(rejected).toBe(false)
    run.calls[0]!.done.resolve(1)
    run.calls[1]!.done.reject(reason)
    const error = await result
    expect(isAbortError(error)).toBe(true)
    expect(error).toMatchObject({ reason })
    expect(run.calls).toHaveLength(2)
    expect(run.calls.every((call) => call.settled)).toBe(true)
  })

  it('calls nothing when the signal is already aborted', async () => {
    const run = controlled()
    const error = await map([1, 2], run.fn, { signal: AbortSignal.abort('gone') }).catch((caught: unknown) => caught)
    expect(isAbortError(error)).toBe(true)
    expect(error).toMatchObject({ reason: 'gone' })
    expect(run.calls).toHaveLength(0)
  })

  it('does not wait for a stuck async generator once aborted, and closes it', async () => {
    const controller = new AbortController()
    const stuck = deferred<void>()
    let closed = false
    async function* items(): AsyncGenerator<number> {
      try {
        yield 1
        await stuck.promise
        yield 2
      } finally {
        closed = true
      }
    }
    const result = map(items(), (item) => item, { signal: controller.signal })
    await flush()
    controller.abort('stop')
    await expect(result).rejects.toMatchObject({ reason: 'stop' })
    stuck.resolve()
    await flush()
    expect(closed).toBe(true)
  })

  it('rejects with the error of an iterable that throws, after the started calls settled', async () => {
    function* items(): Generator<number> {
      yield 1
      throw new Error('bad source')
    }
    const seen: AbortSignal[] = []
    const error = await map(items(), async (item, _index, signal) => {
      seen.push(signal)
      await flush()
      return item
    }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ message: 'bad source' })
    expect(seen[0]?.aborted).toBe(true)
  })

  it('rejects invalid arguments with a TypeError naming them', async () => {
    await expect(map([1], (x) => x, { concurrency: 0 })).rejects.toThrow(
      new TypeError('map: concurrency must be a positive integer or Infinity, got 0'),
    )
    await expect(map(42 as never, (x) => x)).rejects.toThrow(/map: items must be an iterable or an async iterable, got 42/)
    await expect(map([1], 'fn' as never)).rejects.toThrow(/map: fn must be a function, got "fn"/)
    await expect(map([1], (x) => x, { stopOnError: 'yes' as never })).rejects.toThrow(/stopOnError must be a boolean/)
    expect(() => asCompleted([], { concurrency: -1 })).toThrow(/asCompleted: concurrency must be a positive integer or Infinity, got -1/)
  })
})

describe('settle', () => {
  it('never rejects and reports each outcome in input order', async () => {
    const outcomes = await settle([1, 2, 3, 4], async (item) => {
      await flush()
      if (item === 2) throw new Error('two')
      if (item === 4) throw 'four'
      return item * 10
    }, { concurrency: 2 })
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true, false])
    expect(outcomes[0]).toEqual({ ok: true, value: 10, index: 0 })
    expect(outcomes[2]).toEqual({ ok: true, value: 30, index: 2 })
  })

  it('types every failure as a volley error: its own as it is, anything else wrapped with its cause', async () => {
    const timeout = new TimeoutError({ phase: 'total', limit: 5 })
    const two = new Error('two')
    const outcomes = await settle([1, 2, 3], async (item) => {
      if (item === 1) throw timeout
      if (item === 2) throw two
      throw 'three'
    })
    const [first, second, third] = outcomes.map((outcome) => (outcome.ok ? undefined : outcome.error))
    expect(first).toBe(timeout)
    expect(second).toMatchObject({ code: 'ERR_VOLLEY', message: 'two', cause: two })
    expect(third).toMatchObject({ code: 'ERR_VOLLEY', message: 'three', cause: 'three' })
    expect(outcomes.every((outcome) => outcome.ok || isVolleyError(outcome.error))).toBe(true)
  })

  it('reports the items never started as aborted when the signal aborts', async () => {
    const run = controlled()
    const controller = new AbortController()
    const result = settle(['a', 'b', 'c', 'd'], run.fn, { concurrency: 2, signal: controller.signal })
    await flush()
    run.calls[0]!.done.resolve(0)
    await flush()
    controller.abort('enough')
    run.calls[1]!.done.resolve(1)
    run.calls[2]!.done.reject(run.calls[2]!.signal.reason)
    const outcomes = await result
    expect(run.calls).toHaveLength(3)
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, false, false])
    expect(outcomes[2]).toMatchObject({ ok: false, error: { code: 'ERR_VOLLEY', cause: 'enough' }, index: 2 })
    const last = outcomes[3] as Extract<Settled<number>, { ok: false }>
    expect(isAbortError(last.error)).toBe(true)
    expect(last).toMatchObject({ index: 3, error: { reason: 'enough' } })
  })
})

describe('asCompleted', () => {
  it('yields outcomes in completion order, promises and function tasks alike', async () => {
    const first = deferred<string>()
    const second = deferred<string>()
    const third = deferred<string>()
    const tasks = [first.promise, () => second.promise, (_signal: AbortSignal) => third.promise]
    const seen: Array<Settled<string>> = []
    const done = (async () => {
      for await (const outcome of asCompleted(tasks)) seen.push(outcome)
    })()
    third.resolve('c')
    await flush()
    first.reject(new Error('a failed'))
    await flush()
    second.resolve('b')
    await done
    expect(seen).toMatchObject([
      { ok: true, value: 'c', index: 2 },
      { ok: false, error: { code: 'ERR_VOLLEY', message: 'a failed' }, index: 0 },
      { ok: true, value: 'b', index: 1 },
    ])
  })

  it('aborts running tasks and starts no more when the loop breaks early', async () => {
    const signals: AbortSignal[] = []
    const started: number[] = []
    const source = counted(100)
    function* tasks(): Generator<(signal: AbortSignal) => Promise<number>> {
      for (const i of source.items) {
        yield (signal) => {
          started.push(i)
          signals.push(signal)
          if (i === 1) return Promise.resolve(i)
          return new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
        }
      }
    }
    const seen: number[] = []
    for await (const outcome of asCompleted(tasks(), { concurrency: 3 })) {
      if (outcome.ok) seen.push(outcome.value)
      break
    }
    expect(seen).toEqual([1])
    expect(started).toEqual([0, 1, 2, 3]) // 1 settled at once, freeing a slot for 3
    expect(signals.every((signal) => signal.aborted)).toBe(true)
    expect(source.state.closed).toBe(true)
    await flush()
    expect(started).toHaveLength(4)
  })

  it('aborts the tasks still running when the loop breaks after the last task was pulled', async () => {
    const signals: AbortSignal[] = []
    const tasks = [0, 1, 2].map((i) => (signal: AbortSignal) => {
      signals.push(signal)
      if (i === 0) return Promise.resolve(i)
      return new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
    })
    for await (const outcome of asCompleted(tasks)) {
      expect(outcome).toEqual({ ok: true, value: 0, index: 0 })
      break
    }
    expect(signals).toHaveLength(3)
    expect(signals.every((signal) => signal.aborted)).toBe(true)
  })

  it('leaves no promise it never pulled to surface as an unhandled rejection', async () => {
    const pending = () => new Promise<number>(() => {})
    const rejected = Promise.reject(new Error('never pulled'))
    for await (const outcome of asCompleted([Promise.resolve(0), pending(), rejected], { concurrency: 1 })) {
      expect(outcome.ok).toBe(true)
      break
    }
    // One macrotask: where Node would report the rejection as unhandled.
    await new Promise((resolve) => setTimeout(resolve, 0))
  })

  it('yields what settled and then throws an AbortError when its signal aborts', async () => {
    const controller = new AbortController()
    const started: number[] = []
    const tasks = [1, 2, 3, 4].map((i) => (signal: AbortSignal) =>
      new Promise<number>((resolve, reject) => {
        started.push(i)
        if (i === 1) resolve(i)
        signal.addEventListener('abort', () => reject(signal.reason))
      }),
    )
    const seen: boolean[] = []
    const error = await (async () => {
      for await (const outcome of asCompleted(tasks, { concurrency: 2, signal: controller.signal })) {
        seen.push(outcome.ok)
        if (seen.length === 1) controller.abort('stop')
      }
    })().catch((caught: unknown) => caught)
    expect(isAbortError(error)).toBe(true)
    expect(error).toMatchObject({ reason: 'stop' })
    // Task 1 settled and freed its slot for task 3 before the abort; 2 and 3 were then aborted.
    expect(started).toEqual([1, 2, 3])
    expect(seen).toEqual([true, false, false])
  })
})
