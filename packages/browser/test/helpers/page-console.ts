import nodeConsole from 'node:console'
import { format } from 'node:util'
import { onTestFinished, vi } from 'vitest'

/**
 * Captures what happy-dom reports on the page's console, as a browser's devtools would show it:
 * `GET <url> 404 (Not Found)` for an error status, the socket error for a refused or aborted
 * connection. happy-dom writes these to Node's own console (the one vitest hands it when the
 * environment starts), not to the console a test sees, so they would print as stray stack traces
 * in a passing run. A test that expects them calls this first and asserts the lines it returns;
 * the capture ends with the test.
 */
export function capturePageConsole(): () => string[] {
  const lines: string[] = []
  const record = (...args: unknown[]): void => void lines.push(format(...args))
  const error = vi.spyOn(nodeConsole, 'error').mockImplementation(record)
  const warn = vi.spyOn(nodeConsole, 'warn').mockImplementation(record)
  onTestFinished(() => {
    error.mockRestore()
    warn.mockRestore()
  })
  return () => lines
}
