import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis as IORedis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll } from 'vitest'
import { closedPort } from '../../../core/test/helpers/chaos.js'

/** A redis-server of this test file's own, on 127.0.0.1 and a free port, with no persistence. */
export interface TestRedis {
  readonly port: number
  readonly url: string
  /** Stops the server (SIGTERM by PID) and waits for it to exit; `start()` brings it back. */
  stop(): Promise<void>
  /** Stops the server and removes its directory: for afterAll. */
  close(): Promise<void>
  /** Starts it again on the same port (empty: no persistence). */
  start(): Promise<void>
  /**
   * Freezes the server (SIGSTOP by PID) and waits until the kernel shows it stopped: connections
   * stay open and every command waits for an answer until `thaw()`. Redis hung, not gone.
   */
  freeze(): Promise<void>
  /** Lets a frozen server run again (SIGCONT); it then answers what it was sent meanwhile. */
  thaw(): void
}

/** Finds the binary: `REDIS_SERVER`, then the usual places. */
export function redisServerBinary(): string {
  return process.env.REDIS_SERVER ?? 'redis-server'
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`)
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`redis-server did not listen on ${port}`)
}

/** Waits until `/proc/<pid>/stat` shows the process in `state` (`T`: stopped by a signal). */
async function waitForState(pid: number, state: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    // The state is the field after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    if (stat[stat.lastIndexOf(')') + 2] === state) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`redis-server (pid ${pid}) never reached state ${state}`)
}

/** Starts a redis-server: `--port <free> --save '' --appendonly no --dir <tmpdir>`. */
export async function startRedis(): Promise<TestRedis> {
  const port = await closedPort() // nothing listens there: the server's to take
  const dir = mkdtempSync(join(tmpdir(), 'volley-redis-'))
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    const binary = redisServerBinary()
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
    const missing = new Promise<never>((_, reject) =>
      child?.once('error', (error) => reject(new Error(`cannot run ${binary} (${error.message}): install Redis (apt-get install -y redis-server) or set REDIS_SERVER`))),
    )
    const listening = waitForPort(port, child)
    listening.catch(() => {}) // when the binary is missing, `missing` says why
    await Promise.race([listening, missing])
  }
  await start()
  let frozen = false
  const thaw = (): void => {
    if (!frozen || child === undefined) return
    frozen = false
    process.kill(child.pid as number, 'SIGCONT')
  }
  const stop = async (): Promise<void> => {
    thaw() // a stopped process would act on SIGTERM only once it runs again
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    process.kill(running.pid as number, 'SIGTERM')
    await exited
  }
  const freeze = async (): Promise<void> => {
    if (child === undefined) throw new Error('redis-server is not running')
    process.kill(child.pid as number, 'SIGSTOP')
    frozen = true
    await waitForState(child.pid as number, 'T')
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    freeze,
    thaw,
    async close() {
      await stop()
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 })
    },
  }
}

/**
 * One redis-server for the current test file (or `describe` block, when called inside one):
 * started by PID on a free port before its tests, stopped by PID and its directory removed after
 * them. Read `redis()` inside tests and hooks.
 */
export function useRedisServer(): () => TestRedis {
  let server: TestRedis | undefined
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(async () => {
    await server?.close()
  })
  return () => {
    if (!server) throw new Error('redis-server not started')
    return server
  }
}

export type ClientKind = 'redis' | 'ioredis'
export const CLIENT_KINDS: readonly ClientKind[] = ['redis', 'ioredis']

/** A connected client of either library; reconnects quickly so failure tests stay short. */
export interface TestClient {
  readonly client: object
  close(): Promise<void>
}

export async function connectClient(kind: ClientKind, url: string): Promise<TestClient> {
  if (kind === 'redis') {
    const client = createClient({ url, socket: { reconnectStrategy: () => 100, connectTimeout: 1000 } })
    client.on('error', () => {}) // connection errors surface as failed calls
    await client.connect()
    // destroy, not close: close() waits for commands queued while the server was down.
    return { client, close: async () => void (client.isOpen ? client.destroy() : undefined) }
  }
  const client = new IORedis(url, { retryStrategy: () => 100, maxRetriesPerRequest: 1, lazyConnect: true })
  client.on('error', () => {})
  await client.connect()
  return { client, close: async () => client.disconnect() }
}

/** True once a client of either library is connected and ready for commands (after a restart of the server too). */
export function isReady(client: object): boolean {
  const c = client as { isReady?: boolean; status?: string }
  return c.isReady ?? c.status === 'ready'
}

/**
 * A connection of `kind` to `redis()` (one "process" of a fleet) for the tests of the current
 * file or `describe` block: connected before them, closed after them (before the server stops,
 * hooks running in reverse). Read `.client` inside tests.
 */
export function useRedisClient(kind: ClientKind, redis: () => TestRedis): { readonly client: object } {
  let connection: TestClient | undefined
  beforeAll(async () => {
    connection = await connectClient(kind, redis().url)
  })
  afterAll(async () => {
    await connection?.close()
  })
  return {
    get client() {
      if (!connection) throw new Error(`${kind} client not connected`)
      return connection.client
    },
  }
}
