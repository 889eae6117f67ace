/**
 * The one place where the playground's client settings become a volley client, and the one place
 * that writes the code doing the same: the run calls {@link makeClient}, the code panel prints
 * {@link clientCode}, both from the same {@link PlanOptions}. When volley's options change shape
 * (as `concurrency: 4` became `pool: createPool({ concurrency: 4 })` in the lean client), this
 * file changes, and the run and the code shown stay the same program.
 *
 * The plan keeps the pool and the limiter as plain data (the code panel's pacing comment reads
 * them); here they become the values the lean client takes: `createPool`, `createRateLimiter`,
 * `createMetrics` (the metrics panel, and the snapshot the code prints), `progress()` (the
 * progress bars: `onDownloadProgress` / `onUploadProgress` need it) and `logEvents(logger)`.
 */
import {
  createClient,
  createMetrics,
  createPool,
  createRateLimiter,
  logEvents,
  progress,
  type Client,
  type Logger,
  type VolleyEvent,
  type VolleyOptions,
} from '@volley/browser'
import { literal, raw } from './code-literal.js'
import type { PlanOptions } from './plan.js'

/** What the run adds to the plan's options: where the client reports. */
export interface ClientListeners {
  readonly logger: Logger
  onEvent(event: VolleyEvent): void
}

/** The client of a run. */
export function makeClient(options: PlanOptions, listeners: ClientListeners): Client {
  const { concurrency, rateLimit, ...rest } = options
  const log = logEvents(listeners.logger)
  const client: VolleyOptions = { ...rest }
  if (concurrency !== undefined) client.pool = createPool({ concurrency })
  if (rateLimit) client.rateLimit = createRateLimiter(rateLimit)
  return createClient({
    ...client,
    metrics: createMetrics(),
    use: [progress()],
    onEvent: (event) => {
      log(event)
      listeners.onEvent(event)
    },
  })
}

/** The names the generated code imports from `volley` for a client with `options`. */
export function clientImports(options: PlanOptions): string[] {
  return [
    'createClient',
    ...(options.concurrency !== undefined ? ['createPool'] : []),
    ...(options.rateLimit ? ['createRateLimiter'] : []),
    'createMetrics',
    'progress',
    'logEvents',
    'consoleLogger',
  ]
}

/** `const client = createClient({...})`: the code of {@link makeClient}, logging to the console. */
export function clientCode(options: PlanOptions): string {
  const { concurrency, rateLimit, ...rest } = options
  // The same keys in the same order as the plan, the pool and the limiter as values.
  const code: Record<string, unknown> = {}
  for (const key of Object.keys(options)) {
    if (key === 'concurrency') code.pool = raw(`createPool(${literal({ concurrency })})`)
    else if (key === 'rateLimit') code.rateLimit = raw(`createRateLimiter(${literal(rateLimit)})`)
    else code[key] = rest[key as keyof typeof rest]
  }
  return `const client = createClient(${literal({ ...code, metrics: raw('createMetrics()'), use: raw('[progress()]'), onEvent: raw('logEvents(consoleLogger)') })})`
}
