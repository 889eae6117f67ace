import { useSyncExternalStore } from 'react'

/**
 * What the components did, in order: the spec reads it from the page (and it is on the screenshot).
 * Kept outside the components so it outlives an unmounted one.
 */
let events: readonly string[] = []
const listeners = new Set<() => void>()

/** Appends an event. */
export function track(event: string): void {
  events = [...events, event]
  for (const listener of listeners) listener()
}

/** The events, re-rendering when one is added. */
export function useEvents(): readonly string[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => events,
  )
}
