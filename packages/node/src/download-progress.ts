import { createProgressTracker, type ProgressCallback, type ProgressTracker } from '@volley/core'

/**
 * Progress of a whole download, across resumed and restarted attempts: `loaded` counts the bytes
 * already in the part file too and never goes back (a restart from zero reports nothing until it
 * passes the furthest point reached); `total` is the full size. Rate and ETA are core's, measured
 * over the bytes of this call.
 */
export class DownloadProgress {
  readonly #onProgress: ProgressCallback | undefined
  #tracker: ProgressTracker | undefined = undefined
  #base = 0
  #reach = 0
  #total: number | undefined = undefined

  constructor(onProgress: ProgressCallback | undefined) {
    this.#onProgress = onProgress
  }

  /** The first response arrived: `base` bytes are already on disk of `total`. Later calls are no-ops. */
  start(base: number, total: number | undefined): void {
    const onProgress = this.#onProgress
    if (this.#tracker || !onProgress) return
    this.#base = this.#reach = base
    this.#total = total
    this.#tracker = createProgressTracker({
      total: total === undefined ? undefined : Math.max(0, total - base),
      onProgress: (p) => {
        const loaded = p.loaded + this.#base
        const total = this.#total
        const percent = p.done ? 100 : total === undefined ? undefined : total === 0 ? 100 : Math.min(100, (loaded * 100) / total)
        onProgress({ ...p, loaded, total, percent })
      },
    })
  }

  /** The part file now holds `position` bytes. */
  advance(position: number): void {
    if (this.#tracker && position > this.#reach) {
      this.#tracker.add(position - this.#reach)
      this.#reach = position
    }
  }

  /** The download completed. */
  finish(): void {
    this.#tracker?.finish()
  }
}
