/**
 * The sum of one direction's transfers over a run (every call's download, or every call's
 * upload), as the progress panel shows it. Two promises keep it honest:
 *
 * - **The bar never goes backwards, and never claims bytes that did not come.** Its fraction is
 *   the mean, over all the run's calls, of each call's completion: 0 before the call transfers
 *   anything, `loaded / total` while it does, 1 once its body is complete. A call that failed or
 *   was aborted keeps what it reached: a bar drawn full over "0/5 done · 500 B of 4.77 MiB" would
 *   say every byte came. Each term only grows (a retried download holds its place until the new
 *   attempt passes it), so the mean does too, however many calls the pool has started. Summing
 *   only the started transfers' bytes would not: 30 of 32 MiB, then 32 of 48 MiB as a third call
 *   starts.
 * - **The total is the run's, not the started calls'.** Calls that have not reported a size yet
 *   are counted at the mean size of those that have (every call of a playground run fetches the
 *   same URL), shown as `~48 MiB` until every size is known.
 *
 * The rate and the ETA are for the run as a whole; there is no ETA once the run is over, or when
 * nothing is left to come (every transfer done or failed).
 *
 * `loaded` is what the calls' progress reports reached (the best attempt of each call). What came
 * over the wire in every attempt, retried and failed ones included, is `received`: the same count
 * as the metrics panel's bytes in, summed from the attempts' `attempt-end` events.
 */
import type { Progress } from '@volley/browser'

interface Transfer {
  /** The most bytes any attempt reported (an attempt after a retry starts again from 0). */
  loaded: number
  total: number | undefined
  /** The highest `loaded / total` reported, 1 once done. */
  completion: number
  done: boolean
}

/** One direction's state, summed: what the panel prints. */
export interface TransferSum {
  /** Calls expected to transfer (the run's count), calls that did, finished ones, failed ones. */
  readonly calls: number
  readonly started: number
  readonly done: number
  readonly failed: number
  readonly loaded: number
  /** Bytes received over the wire by every attempt of the run (see {@link Transfers.received}). */
  readonly received: number
  /** Bytes of the whole run; undefined while a transfer of unknown length runs. */
  readonly total: number | undefined
  /** The total counts calls not yet started at the mean size of the others. */
  readonly estimated: boolean
  /** 0..1, never decreasing within a run; undefined while no size is known (a striped bar). */
  readonly fraction: number | undefined
  readonly bytesPerSecond: number
  readonly etaMs: number | undefined
}

export interface Transfers {
  /** Starts over for a run of `calls` calls. */
  reset(calls: number): void
  /** A progress report of call `index`. */
  report(index: number, progress: Progress, now: number): void
  /** Call `index` settled (whatever the outcome): its transfer is over. */
  settle(index: number): void
  /** An attempt of the run ended having moved `bytes` in this direction (an `attempt-end` event). */
  received(bytes: number): void
  sum(now: number, running: boolean): TransferSum
}

export function createTransfers(): Transfers {
  let calls = 0
  let byCall = new Map<number, Transfer>()
  let settled = new Set<number>()
  let firstAt: number | undefined
  let lastAt = 0
  let wire = 0

  return {
    reset(count) {
      calls = count
      byCall = new Map()
      settled = new Set()
      firstAt = undefined
      lastAt = 0
      wire = 0
    },
    received(bytes) {
      wire += bytes
    },
    report(index, progress, now) {
      firstAt ??= now
      lastAt = now
      const transfer = byCall.get(index) ?? { loaded: 0, total: undefined, completion: 0, done: false }
      transfer.loaded = Math.max(transfer.loaded, progress.loaded)
      if (progress.total !== undefined) transfer.total = Math.max(transfer.total ?? 0, progress.total, progress.loaded)
      if (transfer.total) transfer.completion = Math.max(transfer.completion, Math.min(1, progress.loaded / transfer.total))
      if (progress.done) {
        transfer.done = true
        transfer.completion = 1
      }
      byCall.set(index, transfer)
    },
    settle(index) {
      settled.add(index)
    },
    sum(now, running) {
      const over = (index: number): boolean => byCall.get(index)?.done === true || settled.has(index)
      let loaded = 0
      let done = 0
      let knownBytes = 0
      let known = 0
      let remaining = 0
      let completion = 0
      let unknownRunning = false
      for (const [index, t] of byCall) {
        loaded += t.loaded
        if (t.done) done++
        completion += t.completion
        if (t.total !== undefined) {
          knownBytes += t.total
          known++
          if (!over(index)) remaining += t.total - t.loaded
        } else if (!over(index)) unknownRunning = true
      }
      // Calls that settled without transferring anything (refused, aborted while queued) are over,
      // at a completion of 0: nothing came.
      const overWithout = [...settled].filter((index) => !byCall.has(index)).length
      const failed = [...settled].filter((index) => byCall.get(index)?.done !== true).length
      // Calls still to start count at the mean size of the known ones.
      const pending = Math.max(0, calls - byCall.size - overWithout)
      const mean = known > 0 ? knownBytes / known : undefined
      const total = unknownRunning || mean === undefined ? undefined : knownBytes + pending * mean
      remaining += pending * (mean ?? 0)
      const live = pending > 0 || [...byCall.keys()].some((index) => !over(index))
      const elapsed = firstAt === undefined ? 0 : (running ? now : lastAt) - firstAt
      const bytesPerSecond = elapsed > 0 ? (loaded * 1000) / elapsed : 0
      const etaMs = running && live && total !== undefined && bytesPerSecond > 0 ? (remaining * 1000) / bytesPerSecond : undefined
      const fraction = calls === 0 ? 0 : mean === undefined && live ? undefined : Math.min(1, completion / calls)
      return { calls, started: byCall.size, done, failed, loaded, received: wire, total, estimated: total !== undefined && pending > 0, fraction, bytesPerSecond, etaMs }
    },
  }
}
