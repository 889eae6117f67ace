/**
 * The chaos server in its own process (the built CLI, `--no-record`, port 0), so the client
 * being measured never shares an event loop or a heap with the server.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from './paths.js'

export interface ServerProcess {
  /** e.g. `http://127.0.0.1:43121` */
  readonly url: string
  readonly pid: number
  stop(): Promise<void>
}

const LISTENING = /listening on (http:\/\/\S+)/

export function startServer(): Promise<ServerProcess> {
  const bin = join(ROOT, 'packages/chaos-server/bin/volley-chaos.js')
  const child: ChildProcess = spawn(process.execPath, [bin, '--port', '0', '--no-record'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (text: string): void => {
      output += text
      const match = LISTENING.exec(output)
      if (!match) return
      child.stdout?.off('data', onData)
      child.stdout?.resume() // keep draining so the server never blocks on a full pipe
      resolve({ url: match[1] as string, pid: child.pid as number, stop: () => stop(child) })
    }
    child.stdout?.setEncoding('utf8').on('data', onData)
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`chaos server exited with ${code} before listening: ${output}`)))
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
