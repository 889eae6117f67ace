/**
 * Runs a {@link Plan}: one client with the plan's options, `count` calls fired at once (the pool
 * and the limiter decide when each really starts), every lifecycle event, log line and progress
 * report handed to the panels. Calls use `client.safe`, so none throws.
 */
import { createClient, redactHeaders, redactText, redactUrl, type CallOptions, type Client, type Logger, type Progress, type VolleyEvent } from '@volley/browser'
import { SSE_OPTIONS, callQuery, type Plan } from './plan.js'

export interface RunHooks {
  onEvent(event: VolleyEvent): void
  readonly logger: Logger
  onDownloadProgress(index: number, progress: Progress): void
  onUploadProgress(index: number, progress: Progress): void
}

export interface Run {
  readonly client: Client
  /** True until every call has settled. */
  readonly running: boolean
  /** Settles when every call has; resolves with how many succeeded. */
  readonly done: Promise<{ ok: number; failed: number; aborted: boolean }>
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
  const client = createClient({ ...plan.options, logger, onEvent: hooks.onEvent })
  const controller = new AbortController()
  // One buffer for every upload: the bytes do not matter, their number does.
  const body = plan.uploadSize === undefined ? undefined : new Uint8Array(plan.uploadSize)

  // The run's own lines go through volley's redaction too, so what the builder's secret fields
  // hold is only ever shown as [REDACTED].
  const firstUrl = `${plan.options.baseURL}${plan.path}?${new URLSearchParams({ ...plan.options.query, ...callQuery(plan, 0) })}`
  logger.info(`run ${plan.key.value}: ${plan.count} × ${plan.method} ${redactUrl(firstUrl)}`)
  if (plan.options.headers) logger.info('client headers', redactHeaders(plan.options.headers))

  const one = async (i: number): Promise<boolean> => {
    const options: CallOptions = { method: plan.method, query: callQuery(plan, i), signal: controller.signal }
    if (body) {
      options.body = body
      options.onUploadProgress = (progress) => hooks.onUploadProgress(i, progress)
    }
    if (plan.read === 'auto') {
      options.onDownloadProgress = (progress) => hooks.onDownloadProgress(i, progress)
      const result = await client.safe(plan.path, options)
      if (!result.ok) logger.error(`#${i + 1} failed after ${result.error.attempts} attempt(s): ${redactText(result.error.message)}`)
      return result.ok
    }
    try {
      const items = plan.read === 'sse' ? client.sse(plan.path, { ...options, ...SSE_OPTIONS }) : client.ndjson(plan.path, options)
      const count = await drain(items)
      logger.info(`#${i + 1}: ${count} ${plan.read === 'sse' ? 'events' : 'lines'} received`)
      return true
    } catch (error) {
      logger.error(`#${i + 1} failed: ${redactText(error instanceof Error ? error.message : String(error))}`)
      return false
    }
  }

  let running = true
  const done = Promise.all(Array.from({ length: plan.count }, (_, i) => one(i))).then((results) => {
    running = false
    const ok = results.filter(Boolean).length
    return { ok, failed: results.length - ok, aborted: controller.signal.aborted }
  })

  return {
    client,
    get running() {
      return running
    },
    done,
    abort() {
      controller.abort(new Error('Stopped from the playground'))
    },
  }
}
