/**
 * The worker side of `child.ts`: every measurement runs in a fresh Node process, so JIT and GC
 * state never bleed from one client into the next. A worker reads its JSON argument, runs, prints
 * one `RESULT {json}` line and exits (exit, not drain: keep-alive sockets must not hold it open).
 */
export const RESULT_PREFIX = 'RESULT '

export function runAsWorker<A, R>(main: (args: A) => Promise<R>): void {
  const args = JSON.parse(process.argv[2] ?? '{}') as A
  main(args).then(
    (result) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0))
    },
    (error: unknown) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
      process.stderr.write(`${text}\n`, () => process.exit(1))
    },
  )
}

/** Forces a full collection when node runs with --expose-gc (twice: weak refs and finalizers settle). */
export function collect(): void {
  if (typeof globalThis.gc !== 'function') throw new Error('this worker needs node --expose-gc')
  globalThis.gc()
  globalThis.gc()
}
