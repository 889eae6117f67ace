/** Checks of option objects shared by the client and the policy factories. */

/** Levenshtein distance, for "did you mean" (short option names, so the quadratic loop is fine). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1))
    }
    row = next
  }
  return row[b.length]!
}

/** `; did you mean \`x\`?` for the known name closest to `name`, or '' when none is close. */
export function didYouMean(name: string, known: Iterable<string>): string {
  let best = ''
  let bestDistance = Infinity
  for (const candidate of known) {
    const d = distance(name, candidate)
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return bestDistance <= Math.max(2, name.length / 3) ? `; did you mean \`${best}\`?` : ''
}

/**
 * Throws a TypeError unless `options` is undefined or a plain object whose keys are all in
 * `known` (`owner` names the factory in the message, e.g. `'hedge()'`).
 */
export function checkOptionNames(owner: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`volley: ${owner} options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`)
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`volley: ${owner} has no option \`${key}\`${didYouMean(key, known)}`)
  }
}

/**
 * `value` when it is a finite number above 0 (an integer when `integer`), else a TypeError naming
 * the option: `volley: retryBudget() \`ratio\` must be a positive number, got 0`.
 */
export function positiveOption(owner: string, name: string, value: unknown, integer = false): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new TypeError(`volley: ${owner} \`${name}\` must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`)
  }
  return value
}
