/**
 * Option checks shared by the client, the pool, the limiter and every policy factory
 * (docs/DESIGN.md#option-checks). A factory lists its options in a table of rules; one loop checks
 * every name (an unknown one gets the closest known name) and every value.
 *
 * Messages come in two sizes. Development builds say what was expected and what was given.
 * Production builds, where the bundler defines `process.env.NODE_ENV` as `"production"`, keep a
 * shorter TypeError that still names the option, and the bundler drops the longer texts: each sits
 * in a function whose body starts with that test, written out where it is used, since bundlers fold
 * it only there. Where nothing defines it and there is no `process` (a browser without a bundler),
 * reading it throws; the short message is given then.
 */
import { describe } from './describe.js'
import { devText, type DevText } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads in development messages (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

export type { DevText }

/** A check of an option's value (never called with `undefined`, which means "not given"). */
export interface Rule {
  (value: unknown): boolean
  /** What the rule expects, for development messages ("a positive number"). */
  readonly expects?: DevText
}

/** Every option of a factory by name, with the rule its value must pass. */
export type Rules = Readonly<Record<string, Rule>>

/** A rule with what it expects. */
export function rule(test: (value: unknown) => boolean, expects: DevText): Rule {
  return Object.assign((value: unknown) => test(value), { expects })
}

/** Known, and checked by the factory itself (or anything goes). */
export const anything: Rule = () => true
/** A function. */
export const isFunction = /* @__PURE__ */ rule((v) => typeof v === 'function', () => process.env.NODE_ENV !== 'production' && 'a function')
/** A string. */
export const isString = /* @__PURE__ */ rule((v) => typeof v === 'string', () => process.env.NODE_ENV !== 'production' && 'a string')
/** Any object but null (arrays included: a rule of its own refuses them where it matters). */
export const isObject = /* @__PURE__ */ rule((v) => typeof v === 'object' && v !== null, () => process.env.NODE_ENV !== 'production' && 'an object')
/** A finite number above 0. */
export const isPositive = /* @__PURE__ */ rule((v) => typeof v === 'number' && v > 0 && v < Infinity, () => process.env.NODE_ENV !== 'production' && 'a positive number')
/** An integer above 0. */
export const isPositiveInteger = /* @__PURE__ */ rule((v) => Number.isInteger(v) && (v as number) > 0, () => process.env.NODE_ENV !== 'production' && 'a positive integer')
/** An integer from 0. */
export const isCount = /* @__PURE__ */ rule((v) => Number.isInteger(v) && (v as number) >= 0, () => process.env.NODE_ENV !== 'production' && 'a non-negative integer')
/** A number from 0, Infinity included. */
export const isNonNegative = /* @__PURE__ */ rule((v) => typeof v === 'number' && v >= 0, () => process.env.NODE_ENV !== 'production' && 'a number >= 0')
/** An array of strings (method or header names). */
export const isStrings = /* @__PURE__ */ rule((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'), () => process.env.NODE_ENV !== 'production' && 'an array of strings')
/** The first method of a clock (`now`, `setTimeout`, `clearTimeout`; clock.ts) that `value` lacks, if any. */
export function missingClockMethod(value: unknown): 'now' | 'setTimeout' | 'clearTimeout' | undefined {
  return (['now', 'setTimeout', 'clearTimeout'] as const).find((name) => typeof (value as Record<string, unknown> | null)?.[name] !== 'function')
}

/** A clock: `now`, `setTimeout` and `clearTimeout` (clock.ts). */
export const isClock = /* @__PURE__ */ rule(
  (v) => missingClockMethod(v) === undefined,
  () => process.env.NODE_ENV !== 'production' && 'a Clock ({ now, setTimeout, clearTimeout })',
)

/** `volley: ` and the owner (`createPool()`), then the development text or the short one. */
export function optionError(owner: string, short: string, dev: DevText): TypeError {
  return new TypeError(`volley: ${owner ? `${owner}: ` : ''}${devText(dev) || short}`)
}

/**
 * A TypeError for an option whose value is wrong: "volley: createPool(): `concurrency` must be a
 * positive integer, got 0" in development builds, "… invalid option `concurrency`" in production.
 */
export function invalidOption(owner: string, name: string, given: unknown, expects: DevText | undefined): TypeError {
  return optionError(owner, `invalid option \`${name}\``, () => process.env.NODE_ENV !== 'production' && !!expects?.() && `\`${name}\` must be ${expects()}, got ${describe(given)}`)
}

/** A TypeError for an option name nobody knows, with the closest known one in development builds. */
export function unknownOption(owner: string, name: string, known: Iterable<string>, path = ''): TypeError {
  return optionError(owner, `unknown option \`${path}${name}\``, () => process.env.NODE_ENV !== 'production' && `unknown option \`${path}${name}\`${didYouMean(name, known, path)}`)
}

/**
 * Throws a TypeError unless `options` is undefined or an object whose own keys are all in `rules`
 * and whose given values pass them. `owner` names the factory in messages (`'hedge()'`, or '' for
 * a client's options); `path` prefixes nested names (`'retry.'`). Own keys such as `__proto__`
 * (from `JSON.parse`) are unknown names like any other.
 *
 * @example
 * checkOptions('createPool()', { concurency: 4 }, { concurrency: isPositiveInteger })
 * // TypeError: volley: createPool(): unknown option `concurency`; did you mean `concurrency`?
 */
export function checkOptions(owner: string, options: unknown, rules: Rules, path = ''): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(owner, path.slice(0, -1) || 'options', options, isObject.expects)
  }
  for (const key of Object.keys(options)) {
    const check = Object.hasOwn(rules, key) ? rules[key] : undefined
    if (!check) throw unknownOption(owner, key, Object.keys(rules), path)
    const value = (options as Record<string, unknown>)[key]
    if (value !== undefined && !check(value)) throw invalidOption(owner, path + key, value, check.expects)
  }
}

/**
 * Throws a TypeError unless `options` is undefined or an object whose own keys are all in `names`;
 * an unknown name gets the closest known one ("did you mean"), in development builds. For the
 * factories of volley's other packages and of your own policies: values stay yours to check.
 *
 * @param owner the factory, as messages name it: `'createRedisStore()'`
 * @param path what nested names are prefixed with in messages: `'tls.'`
 * @throws TypeError naming the unknown option (`volley: myPolicy(): unknown option \`limt\`; did you mean \`limit\`?`)
 *
 * @example
 * import { checkOptionNames } from '@volley/core'
 * export function myPolicy(options: { limit?: number } = {}): Policy {
 *   checkOptionNames('myPolicy()', options, ['limit'])
 *   // ...
 * }
 */
export function checkOptionNames(owner: string, options: unknown, names: readonly string[], path = ''): void {
  checkOptions(owner, options, Object.fromEntries(names.map((name) => [name, anything])), path)
}

/** Levenshtein distance (short option names, so the quadratic loop is fine). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]!
}

/** A name without case or a plural ending: `retries` and `retry` share `retry`, `statusCodes` and `statusCode` share `statuscode`. */
const stem = (name: string): string => name.toLowerCase().replace(/ies$/, 'y').replace(/([^s])s$/, '$1')

/**
 * How far `name` is from `candidate`: 0 for the same stem (`retries`, `retry`), ½ when the candidate
 * starts or ends with the whole name (`onDownload`, `maxRetries`), 1 when one stem starts the other
 * (`delayMs`, `delay`), else the edit distance of the stems.
 */
function closeness(name: string, candidate: string): number {
  const a = stem(name)
  const b = stem(candidate)
  if (a === b) return 0
  const whole = name.toLowerCase()
  const other = candidate.toLowerCase()
  if (whole.length >= 3 && (other.startsWith(whole) || other.endsWith(whole))) return 0.5
  if (Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a))) return 1
  const d = distance(a, b)
  return d <= Math.max(2, a.length / 3) ? d : Infinity
}

/** `; did you mean \`x\`?` for the known name closest to `name`, or '' when none is close. */
export function didYouMean(name: string, known: Iterable<string>, path = ''): string {
  let best = ''
  let bestScore = Infinity
  for (const candidate of known) {
    const score = closeness(name, candidate)
    if (score < bestScore) [best, bestScore] = [candidate, score]
  }
  return bestScore < Infinity ? `; did you mean \`${path}${best}\`?` : ''
}
