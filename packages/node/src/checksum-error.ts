import { VolleyError, isVolleyError, type VolleyErrorOptions } from '@volley/core'

/**
 * A download finished but its content does not hash to the expected value. Not retried: the file
 * is removed, as resuming would only complete the same wrong bytes.
 * Its stable `code` is `ERR_CHECKSUM`; check with {@link isChecksumError} or `instanceof`.
 *
 * @example
 * const error = await download(url, path, { checksum: { expected } }).catch((e) => e)
 * if (error instanceof ChecksumError) console.error(`got ${error.actual}, expected ${error.expected}`)
 */
export class ChecksumError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'ChecksumError'
  static override readonly code = 'ERR_CHECKSUM' as const
  /** The hash algorithm, e.g. `'sha256'`. */
  readonly algorithm: string
  /** The expected digest (hex, lower-case). */
  readonly expected: string
  /** The digest of what was received (hex). */
  readonly actual: string

  constructor(options: VolleyErrorOptions & { algorithm: string; expected: string; actual: string }) {
    super(`${options.algorithm} checksum mismatch: expected ${options.expected}, got ${options.actual}`, options)
    this.algorithm = options.algorithm
    this.expected = options.expected
    this.actual = options.actual
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), algorithm: this.algorithm, expected: this.expected, actual: this.actual }
  }
}

/**
 * True for a {@link ChecksumError}.
 *
 * @example
 * try { await download(url, path, { checksum: { expected } }) } catch (error) { if (isChecksumError(error)) console.error(error.actual) }
 */
export function isChecksumError(value: unknown): value is ChecksumError {
  return isVolleyError(value) && value.code === ChecksumError.code
}
