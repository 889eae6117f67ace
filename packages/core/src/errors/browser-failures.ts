import type { NetworkFailureTable } from './failure-table.js'

/**
 * What browser engines throw when the network fails, measured in the engines themselves against
 * the chaos server (e2e/specs/midbody.spec.ts: a body cut after 16 KiB of 64 KiB, read whole, by
 * chunks, after a TCP reset, and before the headers). The table per engine is in
 * docs/DESIGN.md#what-each-engine-throws. Browsers hide the reason from pages on purpose, so the
 * message is all there is; each one below was seen only for a network failure.
 */
export const BROWSER_FAILURE_MESSAGES: readonly string[] = [
  'Failed to fetch', // Chromium: before the headers, and a body read whole that breaks
  'network error', // Chromium: a body read chunk by chunk that breaks
  'NetworkError when attempting to fetch resource.', // Firefox: before the headers
  'Content-Length header of network response exceeds response Body.', // Firefox: a body read whole, cut short
  'Error in input stream', // Firefox: a body read chunk by chunk that breaks
  'Load failed', // WebKit (Safari): every network failure, before or after the headers
  'TypeError: Load failed', // WebKit: the same, rethrown (stringified) by a native Response read of a body stream that failed
  'The Internet connection appears to be offline.', // Safari (older; not seen in WebKitGTK)
  'Network request failed', // React Native, whatwg-fetch
]

// Newer Safari names the host: `Load failed (api.example.com)`, as ky and is-network-error recognise.
export const BROWSER_FAILURE_PATTERNS: readonly RegExp[] = [/^Load failed \([^()]+\)$/]

export const BROWSER_ABORTS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'The operation was aborted. ', // Firefox: a body whose connection was reset (TCP RST) mid-way
])

/**
 * The browser engines' table. Its parts are consts of their own so that the table of every
 * platform (network-failure.ts) is built from them without reading a property at module level:
 * bundlers keep a module-level property read, and with it a table nobody uses.
 */
export const BROWSER_NETWORK_FAILURES: NetworkFailureTable = {
  codes: /* @__PURE__ */ new Set<string>(),
  messages: /* @__PURE__ */ new Set(BROWSER_FAILURE_MESSAGES),
  patterns: BROWSER_FAILURE_PATTERNS,
  aborts: BROWSER_ABORTS,
}
