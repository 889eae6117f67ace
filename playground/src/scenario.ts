/**
 * Runs a {@link Plan}: one client with the plan's options, `count` calls fired at once (the pool
 * and the limiter decide when each really starts), every lifecycle event, log line and progress
 * report handed to the panels. Calls use `client.safe`, so none throws.
 */
import { isAbortError, redactHeaders, redactText, redactUrl, streamNdjson, streamSSE, type CallOptions, type Client, type Logger, type Progress, type VolleyEvent } from '@volley/browser'
import { makeClient } from './make-client.js'
import { SSE_OPTIONS, callQuery, type Plan } from './plan.js'

/** How one call of a run ended. A call stopped from the page is aborted, not failed. */
export type CallOutcome = 'ok' | 'failed' | 'aborted'

/** How many calls of a run ended each way, and whether the run was stopped. */
export interface RunTally {
  readonly ok: number
  readonly failed: number
  readonly aborted: number
  readonly stopped: boolean
}

export interface RunHooks {
  onEvent(event: VolleyEvent): void
  readonly logger: Logger
  onDownloadProgress(index: number, progress: Progress): void
  onUploadProgress(index: number, progress: Progress): void
  /** Call `index` settled. */
  onSettle(index: number, outcome: CallOutcome): void
}

export interface Run {
  readonly client: Client
  /** Client calls that failed and that an SSE stream of the run then resumed (reconnected). */
  readonly resumed: number
  /** True until every call has settled. */
  readonly running: boolean
  /** Settles when every call has; resolves with how many ended each way. */
  readonly done: Promise<RunTally>
  /** Aborts every call still queued, in flight or waiting to retry. */
  abort(): void
}

/** Consumes a streaming helper to its end; resolves with the number of items. */
async function drain(items: AsyncIterable<unknown>): Promise<number> {
  let count = 0
  for await (const _ of items) count++
  return count
}

export function startRun(plan: Plan, hooks: RunHooks): Run {
  const { logger } = hooks
  const client = makeClient(plan.options, { logger, onEvent: hooks.onEvent })
  const controller = new AbortController()
  // One buffer for every upload: the bytes do not matter, their number does.
  const body = plan.uploadSize === undefined ? undefined : new Uint8Array(plan.uploadSize)

  // The run's own lines go through volley's redaction too, so what the builder's secret fields
  // hold is only ever shown as [REDACTED].
  const firstUrl = `${plan.options.baseURL}${plan.path}?${new URLSearchParams({ ...plan.options.query, ...callQuery(plan, 0) })}`
  logger.info(`run ${plan.key.value}: ${plan.count} × ${plan.method} ${redactUrl(firstUrl)}`)
  if (plan.options.headers) logger.info('client headers', redactHeaders(plan.options.headers))

  const settle = (i: number, outcome: CallOutcome): CallOutcome => {
    hooks.onSettle(i, outcome)
    return outcome
  }
  // An abort is a failure only when the page did not ask for it (Stop, or a newer run).
  const failedOrAborted = (error: unknown): CallOutcome => (controller.signal.aborted && isAbortError(error) ? 'aborted' : 'failed')

  const one = async (i: number): Promise<CallOutcome> => {
    // No `retryDelay`: streamSSE reads that name as its reconnection delay, not ofetch's retry delay.
    const options: Omit<CallOptions, 'retryDelay'> = { method: plan.method, query: callQuery(plan, i), signal: controller.signal }
    if (body) {
      options.body = body
      options.onUploadProgress = (progress) => hooks.onUploadProgress(i, progress)
    }
    if (plan.read === 'auto') {
      options.onDownloadProgress = (progress) => hooks.onDownloadProgress(i, progress)
      const result = await client.safe(plan.path, options)
      if (result.ok) return settle(i, 'ok')
      const outcome = failedOrAborted(result.error)
      if (outcome === 'failed') logger.error(`#${i + 1} failed after ${result.error.attempts} attempt(s): ${redactText(result.error.message)}`)
      return settle(i, outcome)
    }
    try {
      // Each reconnection follows a client call that failed: counted, so the metrics can leave it
      // out of the error rate (the stream went on) and the calls settled add up.
      const onReconnect = (): void => void resumed++
      const items = plan.read === 'sse' ? streamSSE(client, plan.path, { ...options, ...SSE_OPTIONS, onReconnect }) : streamNdjson(client, plan.path, options)
      const count = await drain(items)
      logger.info(`#${i + 1}: ${count} ${plan.read === 'sse' ? 'events' : 'lines'} received`)
      return settle(i, 'ok')
    } catch (error) {
      const outcome = failedOrAborted(error)
      if (outcome === 'failed') logger.error(`#${i + 1} failed: ${redactText(error instanceof Error ? error.message : String(error))}`)
      return settle(i, outcome)
    }
  }

  let running = true
  let resumed = 0
  const done = Promise.all(Array.from({ length: plan.count }, (_, i) => one(i))).then((outcomes): RunTally => {
    running = false
    const count = (outcome: CallOutcome): number => outcomes.filter((o) => o === outcome).length
    return { ok: count('ok'), failed: count('failed'), aborted: count('aborted'), stopped: controller.signal.aborted }
  })

  return {
    client,
    get running() {
      return running
    },
    get resumed() {
      return resumed
    },
    done,
    abort() {
      controller.abort(new Error('Stopped from the playground'))
    },
  }
}
