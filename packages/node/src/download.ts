import { checkOptionNames, AbortError, NetworkError, isAbortError, isHTTPError, isVolleyError, redactUrl, sleep, type Client, type Meta, type ProgressCallback, type RequestInfo, type RetryOptions, type TimeoutOptions, type VolleyError } from '@volley/core'
import { askRetry, resolveOptions } from '@volley/core/internal'
import { createHash } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { ChecksumError, isChecksumError } from './checksum-error.js'
import { volley } from './default-client.js'
import { DownloadProgress } from './download-progress.js'
import { ifRange, loadPart, partPaths, prefixHash, removePart, savePart, validatorOf, type PartState } from './download-part.js'
import { ProtocolError } from './protocol-error.js'

/**
 * What to verify a download against.
 *
 * @example
 * await download(url, './app.tgz', { checksum: { algorithm: 'sha512', expected: published.sha512 } })
 */
export interface DownloadChecksum {
  /** A `node:crypto` hash name. @default 'sha256' */
  algorithm?: string
  /** Expected digest in hex; a mismatch fails the download with `ChecksumError` and removes the file. @default undefined (hash, do not verify) */
  expected?: string
}

/**
 * Options of {@link download}.
 *
 * @example
 * await download(url, './big.iso', { resume: true, retry: 5, timeout: { idle: 60_000 }, headers: { authorization: `Bearer ${token}` } })
 */
export interface DownloadOptions {
  /** The client that sends the requests (its pool, limiter, logger and transport apply). @default volley (the Node default client) */
  client?: Client
  /**
   * Keep `path.part` (and its validator in `path.part.json`) when the download fails or is
   * aborted, so the next call continues with `Range` + `If-Range` instead of starting over.
   * Retries within one call always continue where they stopped, whatever this says.
   * @default true
   */
  resume?: boolean
  /** Hash the whole file while writing (resumed bytes included); verify it when `expected` is given; `false` skips hashing. @default { algorithm: 'sha256' } */
  checksum?: DownloadChecksum | false
  /** Progress of the whole file: `loaded` includes resumed bytes and `total` is the full size. @default undefined */
  onProgress?: ProgressCallback
  /** Aborts the download (an `AbortError`); the part file is kept when `resume` is on. @default undefined */
  signal?: AbortSignal
  /** Retry policy for failed transfers, over the client's; a retry after a broken body resumes. @default the client's (2 retries) */
  retry?: number | RetryOptions | false
  /**
   * Deadlines. `total` bounds the whole download (every transfer, retry and wait); the others apply
   * to each request. A big file has no total deadline by default; a silent one fails after 30 s and resumes.
   * @default { total: false, idle: 30_000 }
   */
  timeout?: number | TimeoutOptions | false
  /** Extra request headers (e.g. authorization). `Accept-Encoding` is always `identity`, so that byte ranges count file bytes. @default undefined */
  headers?: Record<string, string>
}

/**
 * What {@link download} returns.
 *
 * @example
 * const { bytes, resumedFrom, checksum } = await download(url, './big.iso')
 * console.log(`${bytes} bytes (${resumedFrom} resumed), sha256 ${checksum}`)
 */
export interface DownloadResult {
  /** The destination path (now complete). */
  path: string
  /** Size of the file in bytes. */
  bytes: number
  /** Byte offset the successful transfer continued from (0 when it started from scratch). */
  resumedFrom: number
  /** Hex digest of the whole file, or undefined with `checksum: false`. */
  checksum: string | undefined
  /** `meta` of the request that completed the file (a 416 when the part already held all of it). */
  meta: Meta
}

const DOWNLOAD_TIMEOUT: TimeoutOptions = { total: false, idle: 30_000 }

/**
 * How many times one transfer starts over from zero because the server answered a range it was
 * not asked for (a 206 to a request without Range, a 206 at another offset, a 416 that does not
 * match the part). Then the download fails with a `ProtocolError`: a server that keeps doing it
 * would otherwise be asked forever (thousands of requests a second).
 */
export const MAX_DOWNLOAD_RESTARTS = 2

/** The download's deadlines: its defaults (no total, a 30 s idle), then what the caller gave. */
function downloadTimeouts(timeout: DownloadOptions['timeout']): number | TimeoutOptions | false {
  if (timeout === undefined) return DOWNLOAD_TIMEOUT
  if (typeof timeout === 'object' && timeout !== null) return { ...DOWNLOAD_TIMEOUT, ...timeout }
  return timeout
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/

function contentRange(value: string | null): { start: number; end: number; total: number | undefined } | undefined {
  const match = value === null ? null : CONTENT_RANGE.exec(value.trim())
  if (!match) return undefined
  const start = Number(match[1])
  const end = Number(match[2])
  const total = match[3] === '*' ? undefined : Number(match[3])
  // RFC 9110 §14.4: last-pos >= first-pos, and both below a known complete-length.
  if (end < start || (total !== undefined && end >= total)) return undefined
  return { start, end, total }
}

function unsatisfiedTotal(value: string | null): number | undefined {
  const match = value === null ? null : /^bytes \*\/(\d+)$/.exec(value.trim())
  return match ? Number(match[1]) : undefined
}

function contentLength(headers: Headers): number | undefined {
  const value = headers.get('content-length')
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined
}

interface Job {
  readonly url: string
  readonly path: string
  readonly part: string
  readonly client: Client
  readonly resume: boolean
  readonly algorithm: string | undefined
  readonly expected: string | undefined
  readonly options: DownloadOptions
  readonly request: RequestInfo
  readonly progress: DownloadProgress
  /** `timeout.total`: the whole download's deadline (transfers, retries and waits), in ms. */
  readonly total: number | undefined
  /** The deadlines of each request (without `total`, which `transfer` sets to the time left). */
  readonly timeout: TimeoutOptions
}

/** The part is complete: fsync'd already; verify the checksum, then move it into place atomically. */
async function complete(job: Job, state: PartState, bytes: number, resumedFrom: number, meta: Meta): Promise<DownloadResult> {
  const hash = job.algorithm ? await prefixHash(job.part, { ...state, offset: bytes }, job.algorithm) : undefined
  const checksum = hash?.digest('hex')
  if (job.expected !== undefined && checksum !== job.expected) {
    throw new ChecksumError({ algorithm: job.algorithm!, expected: job.expected, actual: checksum ?? '', request: job.request })
  }
  await rename(job.part, job.path)
  await rm(partPaths(job.path).record, { force: true })
  job.progress.finish()
  return { path: job.path, bytes, resumedFrom, checksum, meta }
}

/** One request, continuing from `state.offset` when the part can be trusted; restarts from zero when the server says so. */
async function transfer(job: Job, state: PartState, deadline: number): Promise<DownloadResult> {
  const { client, options } = job
  let restarts = 0
  /** Starts over from zero, at most {@link MAX_DOWNLOAD_RESTARTS} times per transfer. */
  const restart = (why: string): void => {
    if (++restarts > MAX_DOWNLOAD_RESTARTS) {
      throw new ProtocolError(`the server ${why}, again after ${MAX_DOWNLOAD_RESTARTS} restarts from zero`, { request: job.request })
    }
    Object.assign(state, { offset: 0, validator: undefined, total: undefined })
  }
  const { clock } = client.defaults
  for (;;) {
    const validator = state.offset > 0 ? ifRange(state.validator) : undefined
    const offset = validator ? state.offset : 0
    const headers: Record<string, string> = { ...options.headers, 'accept-encoding': 'identity' }
    if (validator) Object.assign(headers, { range: `bytes=${offset}-`, 'if-range': validator })
    let response
    try {
      response = await client.raw<ReadableStream<Uint8Array>>(job.url, {
        responseType: 'stream',
        retry: false,
        timeout: deadline === Infinity ? { ...job.timeout, total: false } : { ...job.timeout, total: Math.max(1, deadline - clock.now()) },
        headers,
        ...(options.signal && { signal: options.signal }),
      })
    } catch (error) {
      if (!(isHTTPError(error) && error.status === 416 && offset > 0)) throw error
      // The range starts at or past the end: the part may already hold the whole file.
      if (unsatisfiedTotal(error.headers.get('content-range')) === offset) {
        job.progress.start(offset, offset)
        return await complete(job, state, offset, offset, (error as unknown as { meta: Meta }).meta)
      }
      restart(`answered 416 ${error.headers.get('content-range') ?? 'without Content-Range'} to Range: bytes=${offset}-`)
      continue
    }
    const body = response.data
    let start = 0
    let total: number | undefined
    // Where a 206's bytes must end (its last-pos + 1), so a resume cut short cannot pass as complete.
    let end: number | undefined
    if (response.status === 206) {
      const header = response.headers.get('content-range')
      const range = contentRange(header)
      if (!validator || !range || range.start !== offset) {
        // Not the range we asked for (or a range when we asked for none): start over rather than guess.
        await body?.cancel().catch(() => {})
        restart(`answered 206 ${header ?? 'without Content-Range'} to Range: ${validator ? `bytes=${offset}-` : 'none'}`)
        continue
      }
      // If-Range promised the same version: its total cannot change (RFC 9110 §13.1.5).
      if (range.total !== undefined && state.total !== undefined && range.total !== state.total) {
        await body?.cancel().catch(() => {})
        throw new ProtocolError(`the server resumed with a total of ${range.total} bytes, but announced ${state.total} first`, { request: job.request })
      }
      start = offset
      end = range.end + 1
      total = range.total ?? state.total
    } else {
      // A 200 is the whole resource (the server ignored Range, or If-Range did not match): restart.
      total = contentLength(response.headers)
    }
    state.validator = validatorOf(response.headers)
    state.total = total
    if (job.resume) await savePart(job.path, job.url, state.validator, total)
    job.progress.start(start, total)
    state.offset = start
    const hash = job.algorithm ? (start > 0 ? await prefixHash(job.part, state, job.algorithm) : createHash(job.algorithm)) : undefined
    state.hash = hash
    state.hashed = start
    let position = start
    const file = await open(job.part, start > 0 ? 'r+' : 'w')
    try {
      // Bytes past `start` (a longer part of another attempt) must not survive into the file.
      await file.truncate(start)
      if (body) {
        for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
          await file.write(chunk, 0, chunk.byteLength, position)
          hash?.update(chunk)
          position += chunk.byteLength
          state.offset = state.hashed = position
          job.progress.advance(position)
        }
      }
      await file.sync()
    } finally {
      await file.close()
    }
    // A cut-short body is a network failure (retried: it resumes from here).
    if (total !== undefined && position !== total) {
      throw new NetworkError({ message: `the download ended at byte ${position} of ${total}`, request: job.request })
    }
    if (end !== undefined && position !== end) {
      throw new NetworkError({ message: `the resumed transfer ended at byte ${position}, its range ends at ${end}`, request: job.request })
    }
    return await complete(job, state, position, start, response.meta)
  }
}

/**
 * Downloads `url` to the file `path`, safely: bytes go to `path.part`, which is fsync'd, checked
 * against the announced length (Content-Length / Content-Range) and the optional checksum, and
 * only then renamed to `path` in one atomic step. `path` is never left truncated.
 *
 * A transfer that breaks (reset, idle timeout, retryable status) is retried by the client's retry
 * policy and continues from the part with `Range: bytes=<size>-` and `If-Range` (the ETag, or the
 * Last-Modified date). A server that answers 200 instead of 206 (it ignores ranges, or the file
 * changed) restarts from zero. With `resume` on (the default), a failed or aborted call keeps the
 * part and its validator in `path.part.json`, so a later call continues too.
 *
 * A server that answers a range it was not asked for makes a transfer start over from zero at
 * most {@link MAX_DOWNLOAD_RESTARTS} times; a resumed `206` must agree with the total the server
 * first announced and deliver its whole range.
 *
 * @throws the last error when retries are exhausted; `AbortError` when `signal` aborts;
 * `ChecksumError` when the content does not match `checksum.expected` (the part is removed);
 * `ProtocolError` when the server keeps answering ranges not asked for, or contradicts its total.
 *
 * @example
 * import { download } from '@volley/node'
 * const { bytes, checksum } = await download('https://example.com/big.iso', './big.iso', {
 *   checksum: { algorithm: 'sha256', expected: 'e3b0c442...' },
 *   onProgress: (p) => process.stdout.write(`\r${p.percent?.toFixed(1) ?? '?'}%`),
 * })
 */
export async function download(url: string | URL, path: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const href = String(url)
  checkOptionNames('download()', options, ['client', 'resume', 'checksum', 'onProgress', 'signal', 'retry', 'timeout', 'headers'])
  if (options.checksum) checkOptionNames('download()', options.checksum, ['algorithm', 'expected'], 'checksum.')
  const client = options.client ?? volley
  const resume = options.resume ?? true
  const algorithm = options.checksum === false ? undefined : (options.checksum?.algorithm ?? 'sha256')
  if (algorithm) createHash(algorithm) // an unknown algorithm fails here, before any request
  const call = resolveOptions({ ...(options.retry !== undefined && { retry: options.retry }), timeout: downloadTimeouts(options.timeout) }, client.defaults, 'call')
  const policy = call.retry
  const timeouts = call.timeout
  const job: Job = {
    url: href,
    path,
    part: partPaths(path).part,
    client,
    resume,
    algorithm,
    expected: options.checksum ? options.checksum.expected?.toLowerCase() : undefined,
    options,
    request: { method: 'GET', url: redactUrl(href) },
    progress: new DownloadProgress(options.onProgress),
    total: timeouts.total,
    timeout: { connect: timeouts.connect ?? false, attempt: timeouts.attempt ?? false, idle: timeouts.idle ?? false, queue: timeouts.queue ?? false },
  }
  const signal = options.signal
  let state: PartState
  if (resume) state = await loadPart(path, href)
  else {
    await removePart(path)
    state = { offset: 0, validator: undefined, hash: undefined, hashed: 0 }
  }

  const failures: VolleyError[] = []
  const fail = async (error: unknown, attempt: number): Promise<never> => {
    if (!resume || isChecksumError(error)) await removePart(path)
    const final = signal?.aborted && !isAbortError(error) ? new AbortError({ reason: signal.reason, request: job.request }) : error
    if (isVolleyError(final)) {
      final.attempts = attempt
      final.previous = failures.filter((e) => e !== final)
    }
    throw final
  }

  // The client's clock and policies decide the retries, as for any call (retry.ts): backpressure
  // pauses the origin, a retry budget may veto, and `timeout.total` bounds the whole download.
  const { clock, policies } = client.defaults
  const deadline = job.total === undefined ? Infinity : clock.now() + job.total
  const origin = new URL(href).origin
  for (let attempt = 1; ; attempt++) {
    try {
      return await transfer(job, state, deadline)
    } catch (error) {
      if (signal?.aborted || isChecksumError(error) || !isVolleyError(error)) return fail(error, attempt)
      const input = { error, attempt, method: 'GET', keyed: false, limit: policy.limit, now: clock.now(), deadline }
      const { decision, context } = await askRetry({ policy, policies, origin, response: undefined }, input)
      if (!decision.retry) return fail(error, attempt)
      await policy.onRetry?.(context)
      failures.push(error)
      try {
        await sleep(decision.delay, signal, clock)
      } catch {
        return fail(error, attempt)
      }
    }
  }
}
