/**
 * Progress bars: requests settled, and bytes downloaded and uploaded over every transfer of the
 * run (each call reports through `onDownloadProgress` / `onUploadProgress`), with rate and ETA.
 * How the bytes are summed so that a bar never goes backwards: see transfers.ts.
 */
import type { Progress } from '@volley/browser'
import { h, panel, setText } from './dom.js'
import { bytes, ms } from './format.js'
import { createTransfers, type TransferSum } from './transfers.js'

export interface ProgressPanel {
  readonly element: HTMLElement
  /** A new run of `count` calls, of which `transfers.downloads` report download progress and `transfers.uploads` send a body. */
  reset(count: number, transfers: { downloads: number; uploads: number }): void
  /** The progress callbacks of call `index`. */
  download(index: number, progress: Progress): void
  upload(index: number, progress: Progress): void
  /** Call `index` settled: its transfers are over, whatever they reached. */
  settle(index: number): void
  /** An attempt ended having received `bytesIn` and sent `bytesOut` (its `attempt-end` event). */
  attemptEnded(bytesIn: number, bytesOut: number): void
  /**
   * Updates the bars; cheap when nothing changed. The requests bar counts the run's calls that
   * settled, not the client's: an SSE stream that reconnects is one call of the run and several
   * of the client ("6 of 3 settled" otherwise).
   */
  render(running: boolean): void
}

interface Bar {
  readonly element: HTMLElement
  readonly fill: HTMLElement
  readonly text: HTMLElement
}

function createBar(label: string, testId: string): Bar {
  const fill = h('div', { class: 'bar-fill' })
  const id = `progress-${testId}`
  const track = h('div', { class: 'bar', role: 'progressbar', 'aria-labelledby': `${id}-label`, 'aria-valuemin': 0, 'aria-valuemax': 100, 'data-testid': id }, fill)
  const text = h('span', { class: 'bar-text', 'data-testid': `${id}-text` }, '–')
  const element = h('div', { class: 'bar-row' }, h('span', { class: 'bar-label', id: `${id}-label` }, label), track, text)
  return { element, fill, text }
}

function show(bar: Bar, fraction: number | undefined, text: string): void {
  const track = bar.fill.parentElement as HTMLElement
  if (fraction === undefined) {
    track.classList.add('indeterminate')
    track.removeAttribute('aria-valuenow')
    bar.fill.style.width = '100%'
  } else {
    track.classList.remove('indeterminate')
    const value = Math.round(fraction * 100)
    track.setAttribute('aria-valuenow', String(value))
    bar.fill.style.width = `${value}%`
  }
  setText(bar.text, text)
}

function describe(sum: TransferSum, running: boolean): { fraction: number | undefined; text: string } {
  const { calls, started, done, failed, loaded, received, total, estimated, fraction, bytesPerSecond, etaMs } = sum
  if (started === 0 && received === 0) return { fraction: 0, text: calls > 0 && running ? 'none yet' : 'none' }
  const amount = total === undefined ? `${bytes(loaded)} (total unknown)` : `${bytes(loaded)} of ${estimated ? '~' : ''}${bytes(total)}`
  const parts = [`${done}/${calls} done`]
  if (failed > 0) parts.push(`${failed} unfinished`)
  parts.push(amount)
  // Retried and failed attempts moved bytes too: said here, so this panel and the metrics' bytes agree.
  if (received !== loaded) parts.push(`${bytes(received)} over all attempts`)
  parts.push(`${bytes(bytesPerSecond)}/s`)
  if (etaMs !== undefined) parts.push(`ETA ${ms(etaMs)}`)
  return { fraction, text: parts.join(' · ') }
}

export function createProgressPanel(): ProgressPanel {
  const requests = createBar('Requests', 'requests')
  const downloadBar = createBar('Download', 'download')
  const uploadBar = createBar('Upload', 'upload')
  const downloads = createTransfers()
  const uploads = createTransfers()
  const element = panel('progress', 'Progress', requests.element, downloadBar.element, uploadBar.element)
  let count = 0
  let settled = new Set<number>()
  let changed = true
  let shownRunning = false

  return {
    element,
    reset(total, transfers) {
      count = total
      settled = new Set()
      downloads.reset(transfers.downloads)
      uploads.reset(transfers.uploads)
      changed = true
    },
    download(index, progress) {
      downloads.report(index, progress, performance.now())
      changed = true
    },
    upload(index, progress) {
      uploads.report(index, progress, performance.now())
      changed = true
    },
    attemptEnded(bytesIn, bytesOut) {
      downloads.received(bytesIn)
      uploads.received(bytesOut)
      changed = true
    },
    settle(index) {
      settled.add(index)
      downloads.settle(index)
      uploads.settle(index)
      changed = true
    },
    render(running) {
      if (!changed && running === shownRunning) return
      changed = false
      shownRunning = running
      const now = performance.now()
      show(requests, count ? Math.min(1, settled.size / count) : 0, count ? `${settled.size} of ${count} settled` : '–')
      const down = describe(downloads.sum(now, running), running)
      show(downloadBar, down.fraction, down.text)
      const up = describe(uploads.sum(now, running), running)
      show(uploadBar, up.fraction, up.text)
    },
  }
}
