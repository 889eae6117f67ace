import type { NetworkFailureTable } from './failure-table.js'

/**
 * What browser engines throw when the network fails, measured in the engines themselves against
 * the chaos server (e2e/specs/midbody.spec.ts: a body cut after 16 KiB of 64 KiB, read whole, by
 * chunks, after a TCP reset, and before the headers). The table per engine is in
 * docs/DESIGN.md#what-each-engine-throws. Browsers hide the reason from pages on purpose, so the
 * message is all there is; each one below was seen only for a network failure.
 */
export const BROWSER_NETWORK_FAILURES: NetworkFailureTable = {
  codes: /* @__PURE__ */ new Set<string>(),
  messages: /* @__PURE__ */ new Set([
    'Failed to fetch', // Chromium: before the headers, and a body read whole that breaks
    'network error', // Chromium: a body read chunk by chunk that breaks
    'NetworkError when attempting to fetch resource.', // Firefox: before the headers
    'Content-Length header of network response exceeds response Body.', // Firefox: a body read whole, cut short
    'Error in input stream', // Firefox: a body read chunk by chunk that breaks
    'Load failed', // WebKit (Safari): every network failure, before or after the headers
    'The Internet connection appears to be offline.', // Safari (older; not seen in WebKitGTK)
    'Network request failed', // React Native, whatwg-fetch
  ]),
  // Newer Safari names the host: `Load failed (api.example.com)`, as ky and is-network-error recognise.
  patterns: [/^Load failed \([^()]+\)$/],
  aborts: /* @__PURE__ */ new Set([
    'The operation was aborted. ', // Firefox: a body whose connection was reset (TCP RST) mid-way
  ]),
}
