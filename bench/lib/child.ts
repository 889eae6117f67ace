/**
 * Runs one bench worker (a TypeScript file under bench/workers) in its own Node process and
 * returns the JSON it reports. The parent measures nothing itself.
 *
 * Workers are compiled once per run with esbuild into bench/.tmp/workers (dependencies stay
 * external, so the built volley packages load from node_modules as usual) and run with plain
 * `node`: no TypeScript loader thread sits in the measured process, and startup stays short.
 */
import { build } from 'esbuild'
import { spawn, type ChildProcess } from 'node:child_process'
import { basename, join } from 'node:path'
import { BENCH_DIR, ROOT } from './paths.js'
import { RESULT_PREFIX } from './worker.js'

export interface WorkerOptions {
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeFlags?: readonly string[]
  /** Kill the worker after this long. @default 300_000 */
  timeoutMs?: number
}

const OUT_DIR = join(BENCH_DIR, '.tmp/workers')
const live = new Set<ChildProcess>()
const compiled = new Map<string, Promise<string>>()

/** Compiles `workers/<name>.ts` to `.tmp/workers/<name>.mjs` once per run. */
function compile(script: string): Promise<string> {
  let output = compiled.get(script)
  if (output === undefined) {
    const outfile = join(OUT_DIR, basename(script).replace(/\.ts$/, '.mjs'))
    output = build({
      entryPoints: [join(BENCH_DIR, script)],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
    }).then(() => outfile)
    compiled.set(script, output)
  }
  return output
}

/** The first line of a worker's error output, for a table cell. */
export function shortError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]?.slice(0, 160) ?? 'error'
}

/** Kills every worker still running (Ctrl-C, or a failed run). */
export function killWorkers(): void {
  for (const child of live) child.kill('SIGKILL')
}

export async function runWorker<R>(script: string, args: unknown, options: WorkerOptions = {}): Promise<R> {
  const { nodeFlags = [], timeoutMs = 300_000 } = options
  const file = await compile(script)
  const child = spawn(process.execPath, [...nodeFlags, '--enable-source-maps', file, JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  live.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      live.delete(child)
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
      if (code === 0 && line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as R)
      const reason = signal === 'SIGKILL' ? `killed (timeout ${timeoutMs} ms, or interrupted)` : firstErrorLine(stderr) || `exited with ${code ?? signal}`
      reject(new Error(`${script}: ${reason}`))
    })
  })
}

/** The error message line of a stack trace (skipping Node's warnings). */
function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  return lines.find((l) => /^\w*Error\b/.test(l)) ?? lines[0] ?? ''
}
