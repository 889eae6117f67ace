/**
 * A binary heap whose items remember their position, so any item can be removed or re-ranked in
 * O(log n) without a scan. The pool keeps in it the origins that could take a free slot right
 * now, ranked by their best waiter, which is what makes per-origin caps free of head-of-line
 * blocking: an origin at its cap simply is not in the heap.
 */

/** What an item needs to live in an {@link IndexedHeap}. */
export interface HeapItem {
  /** @internal position in the heap, -1 when not in it */
  heapIndex: number
}

/** A min-heap by `before` (the item for which `before(item, other)` holds comes out first). */
export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = []

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  /** Number of items in the heap. */
  get size(): number {
    return this.items.length
  }

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.items[0]
  }

  /** Adds an item that is not in the heap yet. */
  push(item: T): void {
    item.heapIndex = this.items.length
    this.items.push(item)
    this.up(item.heapIndex)
  }

  /** Removes `item`; a no-op when it is not in the heap. */
  remove(item: T): void {
    const index = item.heapIndex
    if (index < 0) return
    item.heapIndex = -1
    const last = this.items.pop() as T
    if (last === item) return
    this.items[index] = last
    last.heapIndex = index
    this.update(last)
  }

  /** Restores the order after `item`'s rank changed. */
  update(item: T): void {
    const index = item.heapIndex
    if (index > 0 && this.before(item, this.items[(index - 1) >> 1] as T)) this.up(index)
    else this.down(index)
  }

  private up(index: number): void {
    const items = this.items
    const item = items[index] as T
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = items[parentIndex] as T
      if (!this.before(item, parent)) break
      items[index] = parent
      parent.heapIndex = index
      index = parentIndex
    }
    items[index] = item
    item.heapIndex = index
  }

  private down(index: number): void {
    const items = this.items
    const length = items.length
    const item = items[index] as T
    for (;;) {
      let child = 2 * index + 1
      if (child >= length) break
      const right = child + 1
      if (right < length && this.before(items[right] as T, items[child] as T)) child = right
      const candidate = items[child] as T
      if (!this.before(candidate, item)) break
      items[index] = candidate
      candidate.heapIndex = index
      index = child
    }
    items[index] = item
    item.heapIndex = index
  }
}
