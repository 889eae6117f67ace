/**
 * Polls `check` until it returns a value other than undefined: waiting for a condition (the server
 * saw the request, the connection closed), never a fixed sleep. Gives up after `timeoutMs` with
 * `what` in the message, so a broken expectation fails clearly instead of hanging the test.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`volley e2e: timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
