/**
 * A lightweight abort primitive: what an AbortController does for volley's own machinery, without
 * building one. On Node 20 every `new AbortController()` costs more than the rest of a call's
 * bookkeeping (docs/DESIGN.md#cost), and most calls are never aborted, so the real
 * `AbortSignal` is built only when something outside volley needs one (a `fetch` transport, a
 * pool waiter). The token is shaped like an `AbortSignal` for listeners (`aborted`, `reason`,
 * `addEventListener('abort', …)`), so code written against a signal accepts it.
 */
/** A listener function, or an object with `handleEvent` (as the pool's waiters are). */
export type AbortListener = (() => void) | { handleEvent(): void }

export class AbortToken {
  aborted = false
  reason: unknown
  #listeners: AbortListener[] | undefined
  #controller: AbortController | undefined

  /** Whether a real AbortSignal was handed out (so whoever holds it aborts natively). */
  get linked(): boolean {
    return this.#controller !== undefined
  }

  /** A real AbortSignal that follows this token, made on first use. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.aborted) this.#controller.abort(this.reason)
    }
    return this.#controller.signal
  }

  /** Aborts with `reason`; the first reason wins and every listener runs once. */
  abort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    const listeners = this.#listeners
    this.#listeners = undefined
    this.#controller?.abort(reason)
    if (listeners) for (const listener of listeners) typeof listener === 'function' ? listener() : listener.handleEvent()
  }

  /** `signal.addEventListener('abort', listener)`, for code written against a signal. */
  addEventListener(_type: 'abort', listener: AbortListener, _options?: { once?: boolean }): void {
    if (this.aborted) return
    ;(this.#listeners ??= []).push(listener)
  }

  removeEventListener(_type: 'abort', listener: AbortListener): void {
    const listeners = this.#listeners
    if (!listeners) return
    const at = listeners.indexOf(listener)
    if (at !== -1) listeners.splice(at, 1)
  }

  /** Drops every listener: the owner is done and nothing may run later. */
  clear(): void {
    this.#listeners = undefined
  }
}
