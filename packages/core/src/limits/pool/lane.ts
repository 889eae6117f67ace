import type { AbortSignalLike } from '../../runtime/transport.js'
import type { HeapItem } from './indexed-heap.js'
import { PriorityQueue, type Bucket, type QueueNode } from './priority-queue.js'

/**
 * The slots and the waiting line of one origin (or of every request, when the pool has no
 * `perOrigin` cap). A lane is "ready" while it has waiters and is under its cap; only ready lanes
 * sit in the pool's heap.
 */
export class Lane implements HeapItem {
  /** Slots of this lane held right now. */
  active = 0
  /** Waiters of this lane, highest priority first, FIFO within one. */
  readonly queue = new PriorityQueue<Waiter>()
  heapIndex = -1
  /** Settles `run()` tasks of this lane; set once per lane so a task allocates no handler. */
  onFulfilled: (value: unknown) => unknown = identity
  onRejected: (error: unknown) => never = rethrow

  constructor(
    /** The origin, or `undefined` for the lane shared by requests not subject to `perOrigin`. */
    readonly origin: string | undefined,
    /** Most slots this lane may hold at once. */
    readonly cap: number,
  ) {}
}

/** What a waiter calls back into when its signal aborts. */
export interface WaiterOwner {
  abort(waiter: Waiter): void
}

/**
 * One queued `acquire()` or `run()`. It is its own abort listener (`handleEvent`), so queueing
 * with a signal allocates no closure.
 */
export class Waiter implements QueueNode<Waiter> {
  prev: Waiter | undefined
  next: Waiter | undefined
  bucket: Bucket<Waiter> | undefined
  resolve: (value: unknown) => void = noop
  reject: (reason: unknown) => void = noop

  constructor(
    readonly owner: WaiterOwner,
    readonly lane: Lane,
    readonly priority: number,
    /** Arrival order, the tie-breaker between lanes of equal priority. */
    readonly seq: number,
    readonly signal: AbortSignalLike | undefined,
    /** The task of a `run()`; `undefined` for an `acquire()`, which gets a release function. */
    readonly task: (() => unknown) | undefined,
  ) {}

  /** The abort listener (EventListener object form). */
  handleEvent(): void {
    this.owner.abort(this)
  }
}

/** Ranks ready lanes: the one whose best waiter has the higher priority, then the older one. */
export function laneBefore(a: Lane, b: Lane): boolean {
  const x = a.queue.peek() as Waiter
  const y = b.queue.peek() as Waiter
  return x.priority > y.priority || (x.priority === y.priority && x.seq < y.seq)
}

function noop(): void {}

function identity(value: unknown): unknown {
  return value
}

function rethrow(error: unknown): never {
  throw error
}
