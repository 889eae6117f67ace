import { channel, type Channel } from 'node:diagnostics_channel'
import type { EventListener, VolleyEvent } from '@volley/core'

/** The channel of every event (`'event'`) and one channel per event type. */
export type VolleyChannels = { readonly [K in VolleyEvent['type'] | 'event']: Channel }

/**
 * The `node:diagnostics_channel` channels on which every client made by @volley/node's
 * `createClient` publishes its lifecycle events (core's `VolleyEvent`, the same objects `onEvent`
 * receives): `volley:event` carries all of them, `volley:start`, `volley:queued`, `volley:slot`,
 * `volley:sent`, `volley:headers`, `volley:attempt-end`, `volley:retry`, `volley:settle` and the
 * resilience policies' `volley:hedge`, `volley:refused`, `volley:circuit`, `volley:offline` and
 * `volley:shared`, and the HTTP cache's `volley:cache`, one type each. Events carry redacted URLs and no headers, so nothing secret is published.
 *
 * A call checks for subscribers once, when it starts: while nobody subscribes, calls allocate no
 * events at all; a subscriber sees the calls that start after it subscribed. A subscriber that
 * throws does not affect the request (Node rethrows its error on the next tick).
 *
 * @example
 * import { subscribe } from 'node:diagnostics_channel'
 * import { channels } from '@volley/node'
 * subscribe(channels['attempt-end'].name, (event) => console.log(event)) // or subscribe('volley:attempt-end', ...)
 */
export const channels: VolleyChannels = Object.freeze({
  event: channel('volley:event'),
  start: channel('volley:start'),
  queued: channel('volley:queued'),
  slot: channel('volley:slot'),
  sent: channel('volley:sent'),
  headers: channel('volley:headers'),
  'attempt-end': channel('volley:attempt-end'),
  retry: channel('volley:retry'),
  hedge: channel('volley:hedge'),
  refused: channel('volley:refused'),
  circuit: channel('volley:circuit'),
  offline: channel('volley:offline'),
  shared: channel('volley:shared'),
  cache: channel('volley:cache'),
  settle: channel('volley:settle'),
})

const all: readonly Channel[] = Object.values(channels)

/** Whether anyone listens on any volley channel: read once per call, at its start. */
function subscribed(): boolean {
  for (const each of all) if (each.hasSubscribers) return true
  return false
}

/** Publishes one event on its type's channel and on `volley:event` (publish never throws). */
function publish(event: VolleyEvent): void {
  const typed = channels[event.type]
  if (typed.hasSubscribers) typed.publish(event)
  if (channels.event.hasSubscribers) channels.event.publish(event)
}

/** The listener that publishes on {@link channels}; active only while someone subscribes. */
const diagnosticsListener: EventListener = Object.assign(publish, { active: subscribed })

/**
 * The `onEvent` a Node client gets: the diagnostics publisher, followed by the caller's own
 * listener when there is one (core takes a single client-level listener). The pair is active
 * when either side is, so the caller's `active()` keeps its meaning.
 */
export function withDiagnostics(listener: EventListener | undefined): EventListener {
  if (listener === undefined) return diagnosticsListener
  const own = listener
  const both = (event: VolleyEvent): void => {
    publish(event)
    own(event)
  }
  return Object.assign(both, { active: (): boolean => subscribed() || (own.active?.() ?? true) })
}
