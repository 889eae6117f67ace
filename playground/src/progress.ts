/**
 * Progress bars: requests settled, and bytes downloaded and uploaded over every transfer of the
 * run (each call reports through `onDownloadProgress` / `onUploadProgress`), with rate and ETA.
 */
import type { Progress } from '@volley/browser'
import { h, panel, setText } from './dom.js'
import { bytes, ms } from './format.js'

export interface ProgressPanel {
  readonly element: HTMLElement
  reset(count: number): void
  /** The progress callbacks of call `index`. */
  download(index: number, progress: Progress): void
  upload(index: number, progress: Progress): void
  /** Updates the bars; cheap when nothing changed. */
  render(settled: number): void
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
  const text = h('span', { class: 'bar-text' }, '–')
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

/** Sums the transfers of one direction. */
function createTransfers() {
  let byCall = new Map<number, Progress>()
  let firstAt: number | undefined
  return {
    set(index: number, progress: Progress, now: number): void {
      firstAt ??= now
      byCall.set(index, progress)
    },
    clear(): void {
      byCall = new Map()
      firstAt = undefined
    },
    /** Bytes so far, the known total (undefined while any started transfer has none), rate and ETA. */
    sum(now: number) {
      let loaded = 0
      let total: number | undefined = 0
      let done = 0
      for (const p of byCall.values()) {
        loaded += p.loaded
        total = total === undefined || p.total === undefined ? undefined : total + Math.max(p.total, p.loaded)
        if (p.done) done++
      }
      const elapsed = firstAt === undefined ? 0 : now - firstAt
      const rate = elapsed > 0 ? (loaded * 1000) / elapsed : 0
      const eta = total !== undefined && rate > 0 && done < byCall.size ? ((total - loaded) * 1000) / rate : undefined
      return { started: byCall.size, done, loaded, total, rate, eta }
    },
  }
}

function describe(direction: ReturnType<ReturnType<typeof createTransfers>['sum']>): { fraction: number | undefined; text: string } {
  const { started, done, loaded, total, rate, eta } = direction
  if (started === 0) return { fraction: 0, text: 'none yet' }
  const amount = total === undefined ? `${bytes(loaded)} (total unknown)` : `${bytes(loaded)} of ${bytes(total)}`
  const parts = [`${done}/${started} done`, amount, `${bytes(rate)}/s`]
  if (eta !== undefined) parts.push(`ETA ${ms(eta)}`)
  const fraction = total === undefined ? (done === started ? 1 : undefined) : total === 0 ? 1 : loaded / total
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
  let changed = true
  let shownSettled = -1

  return {
    element,
    reset(total) {
      count = total
      downloads.clear()
      uploads.clear()
      changed = true
    },
    download(index, progress) {
      downloads.set(index, progress, performance.now())
      changed = true
    },
    upload(index, progress) {
      uploads.set(index, progress, performance.now())
      changed = true
    },
    render(settled) {
      if (!changed && settled === shownSettled) return
      changed = false
      shownSettled = settled
      const now = performance.now()
      show(requests, count ? Math.min(1, settled / count) : 0, count ? `${settled} of ${count} settled` : '–')
      const down = describe(downloads.sum(now))
      show(downloadBar, down.fraction, down.text)
      const up = describe(uploads.sum(now))
      show(uploadBar, up.fraction, up.text)
    },
  }
}
