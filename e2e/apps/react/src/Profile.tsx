import { useEffect, useRef, useState } from 'react'
import { isAbortError } from 'volley'
import { api } from './api.js'
import { track } from './events.js'

type State<T> = { status: 'loading' } | { status: 'done'; data: T } | { status: 'failed'; message: string }

/**
 * Loads `path` when mounted, the way the @volley/browser README shows: an AbortController per
 * effect, aborted in the cleanup (unmount or a new path), and an AbortError ignored.
 *
 * The setter is wrapped only to record, for the spec, whether a state update ever happened after
 * unmount; the component does not guard against it itself: aborting is what prevents it.
 */
function useLoad<T>(path: string): State<T> {
  const [state, setState] = useState<State<T>>({ status: 'loading' })
  const mounted = useRef(false)
  useEffect(() => {
    mounted.current = true
    const update = (next: State<T>): void => {
      track(mounted.current ? `state: ${next.status}` : `state update after cleanup: ${next.status}`)
      setState(next)
    }
    const controller = new AbortController()
    track(`request: ${path}`)
    api.get<T>(path, { signal: controller.signal }).then(
      (data) => update({ status: 'done', data }),
      (error: unknown) => {
        if (isAbortError(error)) return track(`aborted (${error.reason instanceof Error ? error.reason.message : String(error.reason)})`)
        update({ status: 'failed', message: error instanceof Error ? error.message : String(error) })
      },
    )
    return () => {
      mounted.current = false
      track('cleanup')
      controller.abort(new Error('component unmounted'))
    }
  }, [path])
  return state
}

/** The chaos server's `/json` object, standing in for a user profile. */
interface ProfileData {
  hello: string
  nested: { a: string }
}

/** A card that loads its data on mount. */
export function Profile({ path }: { path: string }) {
  const state = useLoad<ProfileData>(path)
  if (state.status === 'loading') return <p className="card">Loading profile…</p>
  if (state.status === 'failed') return <p className="card" role="alert">{state.message}</p>
  return (
    <p className="card" data-testid="profile">
      Hello, {state.data.hello} ({state.data.nested.a})
    </p>
  )
}
