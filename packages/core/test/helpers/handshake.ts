/**
 * Options for `vi.waitFor` when a test waits for something to happen (a request to reach the
 * server, a waiter to queue): a handshake, not a timing. vitest's default gives up after 1 s,
 * which a loaded 2-core machine can exceed; this bound only stops a test that would hang, well
 * inside the 20 s test timeout (docs/DESIGN.md#tests).
 */
export const handshake = { timeout: 15_000, interval: 5 } as const
