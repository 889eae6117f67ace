import { shallowRef, type Ref } from 'vue'

/**
 * What the components did, in order: the spec reads it from the page (and it is on the screenshot).
 * Kept outside the components so it outlives an unmounted one.
 */
export const events: Ref<readonly string[]> = shallowRef([])

/** Appends an event. */
export function track(event: string): void {
  events.value = [...events.value, event]
}
