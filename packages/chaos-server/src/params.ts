/**
 * Thrown by route code for a malformed parameter; the handler answers 400 with
 * the message, so a typo in a test URL fails loudly instead of silently using
 * a default.
 */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError'
}

/** Bounds for {@link readInt}. */
export interface IntBounds {
  min?: number
  max?: number
}

/**
 * Parses an integer parameter (query or path). Missing or empty -> `fallback`.
 *
 * @example
 * readInt(ctx.query, 'fail', 1, { min: 0 })
 */
export function readInt(
  source: Readonly<Record<string, string>>,
  name: string,
  fallback: number,
  bounds: IntBounds = {},
): number {
  const raw = source[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = bounds
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestError(`"${name}" must be an integer in [${min}, ${max}], got "${raw}"`)
  }
  return value
}

/** Like {@link readInt} but allows fractions (e.g. seconds in `Retry-After` tests). */
export function readNumber(
  source: Readonly<Record<string, string>>,
  name: string,
  fallback: number,
  bounds: IntBounds = {},
): number {
  const raw = source[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = bounds
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new BadRequestError(`"${name}" must be a number in [${min}, ${max}], got "${raw}"`)
  }
  return value
}

/** Boolean flags: `1`, `true`, `yes` and an empty value (`?gzip`) are on. */
export function readFlag(source: Readonly<Record<string, string>>, name: string, fallback = false): boolean {
  const raw = source[name]
  if (raw === undefined) return fallback
  return raw === '' || raw === '1' || raw === 'true' || raw === 'yes'
}

/** One of a fixed set of strings. */
export function readChoice<T extends string>(
  source: Readonly<Record<string, string>>,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = source[name]
  if (raw === undefined || raw === '') return fallback
  if (!(choices as readonly string[]).includes(raw)) {
    throw new BadRequestError(`"${name}" must be one of ${choices.join(', ')}, got "${raw}"`)
  }
  return raw as T
}
