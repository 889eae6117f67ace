import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'

/** What identifies the version of a resource a part file holds (for `If-Range`). */
export interface Validator {
  readonly etag: string | undefined
  readonly lastModified: string | undefined
}

/** The sidecar `path.part.json`: which URL and which version the bytes in `path.part` belong to. */
interface PartRecord {
  url: string
  etag?: string
  lastModified?: string
  total?: number
}

/** The partial download on disk and what we know about it. */
export interface PartState {
  /** Bytes of `path.part` that may be continued (0: start over). */
  offset: number
  validator: Validator | undefined
  /** A hash of exactly the first `hashed` bytes, carried between attempts of one call. */
  hash: Hash | undefined
  hashed: number
  /** The full size the server first announced for the version in the part (a resume must agree). */
  total?: number | undefined
}

/** The `If-Range` value for a validator: a strong ETag, else the Last-Modified date (RFC 9110 §13.1.5). */
export function ifRange(validator: Validator | undefined): string | undefined {
  if (!validator) return undefined
  if (validator.etag && !validator.etag.startsWith('W/')) return validator.etag
  return validator.lastModified
}

/** The validator a response carries. */
export function validatorOf(headers: Headers): Validator | undefined {
  const etag = headers.get('etag') ?? undefined
  const lastModified = headers.get('last-modified') ?? undefined
  return etag || lastModified ? { etag, lastModified } : undefined
}

/** Paths of the part file and its sidecar for a destination. */
export function partPaths(path: string): { part: string; record: string } {
  return { part: `${path}.part`, record: `${path}.part.json` }
}

/** Deletes the part file and its sidecar (missing files are fine). */
export async function removePart(path: string): Promise<void> {
  const { part, record } = partPaths(path)
  await Promise.all([rm(part, { force: true }), rm(record, { force: true })])
}

/** Stores what a later call needs to resume (written when a response starts, before any byte). */
export async function savePart(path: string, url: string, validator: Validator | undefined, total: number | undefined): Promise<void> {
  const record: PartRecord = { url, ...(validator?.etag && { etag: validator.etag }), ...(validator?.lastModified && { lastModified: validator.lastModified }), ...(total !== undefined && { total }) }
  await writeFile(partPaths(path).record, JSON.stringify(record))
}

/**
 * The part a previous call left, if it can be continued: the sidecar names the same URL and a
 * validator, and the part file exists. Anything else starts from zero (and is cleaned up).
 */
export async function loadPart(path: string, url: string): Promise<PartState> {
  const { part, record } = partPaths(path)
  const fresh: PartState = { offset: 0, validator: undefined, hash: undefined, hashed: 0 }
  let saved: PartRecord
  try {
    saved = JSON.parse(await readFile(record, 'utf8')) as PartRecord
  } catch {
    await removePart(path)
    return fresh
  }
  const size = await stat(part).then((s) => s.size, () => undefined)
  const validator: Validator = { etag: saved.etag, lastModified: saved.lastModified }
  if (saved.url !== url || size === undefined || size === 0 || !ifRange(validator)) {
    await removePart(path)
    return fresh
  }
  return { offset: size, validator, hash: undefined, hashed: 0, total: typeof saved.total === 'number' ? saved.total : undefined }
}

/**
 * A hash covering the first `state.offset` bytes of the part: the one carried from the previous
 * attempt when it ends exactly there, else the part's prefix hashed from disk.
 */
export async function prefixHash(partFile: string, state: PartState, algorithm: string): Promise<Hash> {
  if (state.hash && state.hashed === state.offset) return state.hash
  const hash = createHash(algorithm)
  if (state.offset > 0) {
    for await (const chunk of createReadStream(partFile, { start: 0, end: state.offset - 1 })) hash.update(chunk as Buffer)
  }
  return hash
}
