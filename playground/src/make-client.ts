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
  cache,
  circuitBreaker,
  createClient,
  createMetrics,
  createPool,
  createRateLimiter,
  dedupe,
  hedge,
  logEvents,
  offlinePause,
  progress,
  retryBudget,
  type Policy,
  type Client,
  type Logger,
  type VolleyEvent,
  type VolleyOptions,
} from '@volley/browser'
import { literal, raw } from './code-literal.js'
import type { PlanOptions } from './plan.js'
import type { PolicyName } from './settings.js'

/**
 * The resilience policies as the run makes them and as the code shows them: the breaker opens
 * after 3 failures and probes after 2 s, and hedging starts after 50 ms, so that a playground run
 * of a few seconds shows them at work (volley's defaults are 5 failures, 10 s, and the p95).
 */
let playgroundCache: Policy | undefined

const POLICY_CODE: Record<PolicyName, { make: () => Policy; code: string }> = {
  // One cache for the page, so a second run is answered by what the first stored.
  cache: { make: () => (playgroundCache ??= cache()), code: 'cache()' },
  retryBudget: { make: () => retryBudget(), code: 'retryBudget()' },
  circuitBreaker: { make: () => circuitBreaker({ failures: 3, cooldown: 2_000 }), code: 'circuitBreaker({ failures: 3, cooldown: 2_000 })' },
  hedge: { make: () => hedge({ after: 50 }), code: 'hedge({ after: 50 })' },
  dedupe: { make: () => dedupe(), code: 'dedupe()' },
  offlinePause: { make: () => offlinePause(), code: 'offlinePause()' },
}

/** What the run adds to the plan's options: where the client reports. */
export interface ClientListeners {
  readonly logger: Logger
  onEvent(event: VolleyEvent): void
}

/** The client of a run. */
export function makeClient(options: PlanOptions, listeners: ClientListeners): Client {
  const { concurrency, rateLimit, policies = [], ...rest } = options
  const log = logEvents(listeners.logger)
  const client: VolleyOptions = { ...rest }
  if (concurrency !== undefined) client.pool = createPool({ concurrency })
  if (rateLimit) client.rateLimit = createRateLimiter(rateLimit)
  return createClient({
    ...client,
    metrics: createMetrics(),
    use: [...policies.map((name) => POLICY_CODE[name].make()), progress()],
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
    ...(options.policies ?? []),
    'progress',
    'logEvents',
    'consoleLogger',
  ]
}

/** `const client = createClient({...})`: the code of {@link makeClient}, logging to the console. */
export function clientCode(options: PlanOptions): string {
  const { concurrency, rateLimit, policies = [], ...rest } = options
  // The same keys in the same order as the plan, the pool and the limiter as values.
  const code: Record<string, unknown> = {}
  for (const key of Object.keys(options)) {
    if (key === 'concurrency') code.pool = raw(`createPool(${literal({ concurrency })})`)
    else if (key === 'rateLimit') code.rateLimit = raw(`createRateLimiter(${literal(rateLimit)})`)
    else if (key === 'policies') continue
    else code[key] = rest[key as keyof typeof rest]
  }
  return `const client = createClient(${literal({ ...code, metrics: raw('createMetrics()'), use: raw(`[${[...policies.map((name) => POLICY_CODE[name].code), 'progress()'].join(', ')}]`), onEvent: raw('logEvents(consoleLogger)') })})`
}
