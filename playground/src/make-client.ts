/**
 * The one place where the playground's client settings become a volley client, and the one place
 * that writes the code doing the same: the run calls {@link makeClient}, the code panel prints
 * {@link clientCode}, both from the same {@link PlanOptions}. When volley's options change shape
 * (say `concurrency: 4` becomes `pool: createPool({ concurrency: 4 })`), this file changes, and
 * the run and the code shown stay the same program.
 */
import { createClient, type Client, type Logger, type VolleyEvent } from '@volley/browser'
import { literal, raw } from './code-literal.js'
import type { PlanOptions } from './plan.js'

/** What the run adds to the plan's options: where the client reports. */
export interface ClientListeners {
  readonly logger: Logger
  onEvent(event: VolleyEvent): void
}

/** The client of a run. */
export function makeClient(options: PlanOptions, listeners: ClientListeners): Client {
  return createClient({ ...options, logger: listeners.logger, onEvent: listeners.onEvent })
}

/** The names the generated code imports from `volley`. */
export const CLIENT_IMPORTS: readonly string[] = ['createClient', 'consoleLogger']

/** `const client = createClient({...})`: the code of {@link makeClient}, logging to the console. */
export function clientCode(options: PlanOptions): string {
  return `const client = createClient(${literal({ ...options, logger: raw('consoleLogger') })})`
}
