import type { StandardSchemaV1 } from '../policies/standard-schema.js'
import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** One issue a schema found, as plain data: its message and where (`['items', 0, 'id']`). */
export interface ValidationIssue {
  readonly message: string
  readonly path: readonly PropertyKey[]
}

/**
 * The response body did not match the call's `schema` (Standard Schema v1: zod, valibot,
 * arktype...). Never retried: the server answered, and asking again would get the same body.
 * `issues` say what and where; the body itself is not kept (it may hold secrets).
 */
export class ValidationError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'ValidationError'
  static override readonly code = 'ERR_VALIDATION' as const
  /** What the schema found, in its order. */
  readonly issues: readonly ValidationIssue[]
  /** The schema library that judged (`'zod'`, `'valibot'`, `'arktype'`). */
  readonly vendor: string

  constructor(options: VolleyErrorOptions & { issues: ReadonlyArray<StandardSchemaV1.Issue>; vendor: string }) {
    const issues = options.issues.map((issue) => ({
      message: issue.message,
      path: Array.from(issue.path ?? [], (segment) => (typeof segment === 'object' && segment !== null ? segment.key : segment)),
    }))
    const first = issues[0]
    const where = first && first.path.length ? ` at ${first.path.map(String).join('.')}` : ''
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
    super(`response failed ${options.vendor} validation${where}: ${first?.message ?? 'invalid'}${more}`, options)
    this.issues = issues
    this.vendor = options.vendor
  }
}

/** True for a {@link ValidationError} from any installed copy of volley. */
export function isValidationError(value: unknown): value is ValidationError {
  return isVolleyError(value) && value.code === ValidationError.code
}
