import type { Policy } from '@volley/core'

/** What {@link watchBytes} returns: the policy to add to a client, and what it has seen. */
export interface BytesWatch {
  readonly policy: Policy
  /** Response body bytes received so far, over every attempt. */
  readonly received: number
}

/**
 * A policy that only watches: it counts the response body bytes as they arrive, so a test on the
 * manual clock can wait for the server's bytes to be in (a handshake) before it lets a timeout
 * run out, instead of hoping they arrive within a real-time limit (docs/DESIGN.md#tests).
 */
export function watchBytes(): BytesWatch {
  let received = 0
  return {
    policy: { name: 'watch-bytes', prepare: (attempt) => attempt.onResponse(() => (bytes) => void (received += bytes)) },
    get received() {
      return received
    },
  }
}
