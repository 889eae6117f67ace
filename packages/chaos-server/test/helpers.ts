import { expect } from 'vitest'
import { connect } from 'node:net'
import { expectedBytes, type ChaosServer } from '../src/index.js'

/** A response read straight off the socket, so truncation and resets stay visible. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  /** Body bytes as received (no de-chunking: use on Content-Length responses). */
  body: Buffer
  /** Set when the socket errored (e.g. ECONNRESET) instead of closing cleanly. */
  error?: NodeJS.ErrnoException
}

/**
 * Sends one `Connection: close` request over a plain TCP socket and collects
 * everything until the server closes it.
 */
export function rawRequest(
  server: ChaosServer,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1')
    const chunks: Buffer[] = []
    let error: NodeJS.ErrnoException | undefined
    const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, 'Connection: close']
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
    socket.write(`${lines.join('\r\n')}\r\n\r\n`)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err
    })
    socket.on('close', () => {
      const all = Buffer.concat(chunks)
      const split = all.indexOf('\r\n\r\n')
      const head = all.subarray(0, split === -1 ? all.length : split).toString('latin1').split('\r\n')
      const parsed: Record<string, string> = {}
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':')
        if (colon > 0) parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({
        status: Number(head[0]?.split(' ')[1] ?? 0),
        headers: parsed,
        body: split === -1 ? Buffer.alloc(0) : all.subarray(split + 4),
        ...(error ? { error } : {}),
      })
    })
  })
}

/**
 * Polls `check` until it returns true, failing after `timeoutMs`: a bound that only stops a test
 * that would hang, well inside the 20 s test timeout, not a timing assert (a loaded machine may
 * take seconds).
 */
export async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Reads a fetch body chunk by chunk, as the client received it. */
export async function readChunks(res: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = []
  const reader = res.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return chunks
    chunks.push(value)
  }
}

/** Joins byte chunks. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks))
}

/**
 * Asserts `actual` holds the `n` deterministic bytes from `offset`. Compares
 * with Buffer.equals and reports the first differing index: a deep `toEqual`
 * on 100k-element arrays is slow and its diff unreadable.
 */
export function expectBytes(actual: Uint8Array, n: number, offset = 0): void {
  expect(actual.length).toBe(n)
  const want = Buffer.from(expectedBytes(n, offset).buffer)
  const got = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength)
  let firstMismatch = -1
  if (!got.equals(want)) firstMismatch = got.findIndex((byte, i) => byte !== want[i])
  expect(firstMismatch, 'index of the first wrong byte').toBe(-1)
}
