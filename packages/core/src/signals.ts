/**
 * An AbortController that follows parent signals and can be detached from them. We don't use
 * `AbortSignal.any` here: its parents keep listeners until garbage collection, and "no listener
 * outlives its request" (docs/DESIGN.md#timeouts) must hold deterministically, so `dispose()` removes them.
 */
export interface LinkedController {
  readonly signal: AbortSignal
  /** Aborts with `reason` unless already aborted; the first reason wins. */
  abort(reason: unknown): void
  /** Detaches from the parents. Idempotent. */
  dispose(): void
}

/** Creates a controller aborted (with the parent's reason) as soon as any parent aborts. */
export function linkedController(...parents: (AbortSignal | undefined)[]): LinkedController {
  const controller = new AbortController()
  const linked: AbortSignal[] = []
  const onAbort = function (this: AbortSignal): void {
    controller.abort(this.reason)
    dispose()
  }
  const dispose = (): void => {
    for (const parent of linked) parent.removeEventListener('abort', onAbort)
    linked.length = 0
  }
  for (const parent of parents) {
    if (!parent) continue
    if (parent.aborted) {
      controller.abort(parent.reason)
      break
    }
    parent.addEventListener('abort', onAbort, { once: true })
    linked.push(parent)
  }
  if (controller.signal.aborted) dispose()
  return {
    signal: controller.signal,
    abort(reason) {
      if (!controller.signal.aborted) controller.abort(reason)
      dispose()
    },
    dispose,
  }
}
