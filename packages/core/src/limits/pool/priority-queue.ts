/**
 * The pool's waiting line: FIFO lists per priority, linked both ways so that an aborted waiter
 * leaves in O(1) (docs/DESIGN.md#concurrency-pool: a waiter aborted while queued leaves the
 * queue at once). With a single priority, the common case, every operation is O(1); a new distinct
 * priority costs a binary search plus an insert into a short sorted array.
 */

/** What a node needs to sit in a {@link PriorityQueue}. The queue owns the link fields. */
export interface QueueNode<N> {
  /** Higher is served first. Read once, on {@link PriorityQueue.push}. */
  readonly priority: number
  /** @internal previous node of the same priority */
  prev: N | undefined
  /** @internal next node of the same priority */
  next: N | undefined
  /** @internal the list the node is in; `undefined` once it left the queue */
  bucket: Bucket<N> | undefined
}

/** One FIFO list: every queued node of one priority, oldest at `head`. */
export interface Bucket<N> {
  readonly priority: number
  head: N | undefined
  tail: N | undefined
}

/** Highest priority first, FIFO within a priority, O(1) removal of any node. */
export class PriorityQueue<N extends QueueNode<N>> {
  /** Number of queued nodes. */
  size = 0
  private readonly buckets = new Map<number, Bucket<N>>()
  /** The priorities that have a non-empty bucket, ascending, so the highest is popped from the end. */
  private readonly order: number[] = []
  /** The bucket of the highest priority, cached because it is read on every dispatch. */
  private top: Bucket<N> | undefined

  /** The node that would be served next, without removing it. */
  peek(): N | undefined {
    return this.top?.head
  }

  /** Appends `node` behind every queued node of the same priority. */
  push(node: N): void {
    const priority = node.priority
    const top = this.top
    let bucket = top !== undefined && top.priority === priority ? top : this.buckets.get(priority)
    if (bucket === undefined) bucket = this.addBucket(priority)
    node.bucket = bucket
    node.next = undefined
    node.prev = bucket.tail
    if (bucket.tail === undefined) bucket.head = node
    else bucket.tail.next = node
    bucket.tail = node
    this.size++
  }

  /** Removes and returns the node that is served next. */
  shift(): N | undefined {
    const node = this.top?.head
    if (node !== undefined) this.remove(node)
    return node
  }

  /** Unlinks `node` wherever it is; a no-op for a node that is not queued. */
  remove(node: N): void {
    const bucket = node.bucket
    if (bucket === undefined) return
    const { prev, next } = node
    if (prev === undefined) bucket.head = next
    else prev.next = next
    if (next === undefined) bucket.tail = prev
    else next.prev = prev
    node.prev = node.next = node.bucket = undefined
    this.size--
    if (bucket.head === undefined) this.dropBucket(bucket)
  }

  private addBucket(priority: number): Bucket<N> {
    const bucket: Bucket<N> = { priority, head: undefined, tail: undefined }
    this.buckets.set(priority, bucket)
    const order = this.order
    const at = lowerBound(order, priority)
    if (at === order.length) {
      order.push(priority)
      this.top = bucket
    } else {
      order.splice(at, 0, priority)
    }
    return bucket
  }

  private dropBucket(bucket: Bucket<N>): void {
    this.buckets.delete(bucket.priority)
    const order = this.order
    if (bucket === this.top) {
      order.pop()
      const next = order[order.length - 1]
      this.top = next === undefined ? undefined : this.buckets.get(next)
    } else {
      order.splice(lowerBound(order, bucket.priority), 1)
    }
  }
}

/** Index of the first element of the ascending `sorted` that is not below `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) < value) low = middle + 1
    else high = middle
  }
  return low
}
