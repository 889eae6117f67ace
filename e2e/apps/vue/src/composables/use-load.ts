import { onScopeDispose, shallowRef, type ShallowRef } from 'vue'
import { isAbortError } from 'volley'
import { api } from '../api.js'
import { track } from '../events.js'

/** What {@link useLoad} exposes to a template. */
export interface Load<T> {
  data: ShallowRef<T | undefined>
  error: ShallowRef<string | undefined>
  loading: ShallowRef<boolean>
}

/**
 * Loads `path` when the component using it is set up, and aborts the request when its scope is
 * disposed (the component unmounts): an AbortError is ignored, so nothing updates afterwards.
 *
 * The refs are written through `update` only to record, for the spec, whether a write ever
 * happened after disposal; aborting is what prevents it.
 */
export function useLoad<T>(path: string): Load<T> {
  const data = shallowRef<T>()
  const error = shallowRef<string>()
  const loading = shallowRef(true)
  let disposed = false
  const update = (status: string, write: () => void): void => {
    track(disposed ? `state update after dispose: ${status}` : `state: ${status}`)
    write()
    loading.value = false
  }

  const controller = new AbortController()
  track(`request: ${path}`)
  api.get<T>(path, { signal: controller.signal }).then(
    (value) => update('done', () => (data.value = value)),
    (reason: unknown) => {
      if (isAbortError(reason)) return track(`aborted (${reason.reason instanceof Error ? reason.reason.message : String(reason.reason)})`)
      update('failed', () => (error.value = reason instanceof Error ? reason.message : String(reason)))
    },
  )
  onScopeDispose(() => {
    disposed = true
    track('dispose')
    controller.abort(new Error('component unmounted'))
  })
  return { data, error, loading }
}
