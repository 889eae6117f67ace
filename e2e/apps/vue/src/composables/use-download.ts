import { onScopeDispose, shallowRef, type ShallowRef } from 'vue'
import { download, isAbortError } from 'volley'
import { track } from '../events.js'

/** What {@link useDownload} exposes to a template. */
export interface Download {
  /** 0..100, following `onProgress`. */
  percent: ShallowRef<number>
  /** `"<n> bytes"` when done, or the error message. */
  result: ShallowRef<string | undefined>
  start(): Promise<void>
}

/** A download with progress; a running one is aborted when the component unmounts. */
export function useDownload(url: () => string): Download {
  const percent = shallowRef(0)
  const result = shallowRef<string>()
  let controller: AbortController | undefined

  async function start(): Promise<void> {
    controller?.abort()
    const current = (controller = new AbortController())
    result.value = undefined
    try {
      const { blob } = await download(url(), {
        signal: current.signal,
        onProgress: (p) => {
          const value = Math.round(p.percent ?? 0)
          track(`progress: ${value}`)
          percent.value = value
        },
      })
      result.value = `${blob.size} bytes`
    } catch (error) {
      if (!isAbortError(error)) result.value = error instanceof Error ? error.message : String(error)
    }
  }

  onScopeDispose(() => controller?.abort())
  return { percent, result, start }
}
