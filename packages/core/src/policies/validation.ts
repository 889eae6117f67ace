import { ValidationError } from '../errors/validation-error.js'
import type { RequestInfo } from '../errors/volley-error.js'
import type { Policy } from './policy.js'
import type { StandardSchemaV1 } from './standard-schema.js'
import { checkOptions } from '../options/option-check.js'

/** The validation policy: what `schema` needs in a client's `use`. */
export interface Validation extends Policy {
  readonly name: 'validation'
  /** Validates `value` with `schema`: resolves with the schema's output, or throws a `ValidationError`. */
  validate(value: unknown, schema: StandardSchemaV1, request?: RequestInfo): unknown
}

/**
 * Validates `value` with a Standard Schema: returns (or resolves with) the schema's output, or
 * throws a {@link ValidationError} with the issues.
 */
export function validateWith(value: unknown, schema: StandardSchemaV1, request?: RequestInfo): unknown {
  const standard = schema['~standard']
  const judge = (result: StandardSchemaV1.Result<unknown>): unknown => {
    if (result.issues) throw new ValidationError({ issues: result.issues, vendor: standard.vendor, request })
    return result.value
  }
  const result = standard.validate(value)
  return result instanceof Promise ? result.then(judge) : judge(result)
}

/**
 * Response validation with any Standard Schema v1 validator (zod, valibot, arktype...): add it to
 * a client's `use`, then pass `schema` to any call. The call resolves with the schema's output,
 * typed as such; a body that does not match fails the call with a `ValidationError` (never
 * retried, counted in metrics under `ERR_VALIDATION`). Its code reaches a bundle only with this
 * import.
 *
 * @example
 * import { z } from 'zod'
 * const api = createClient({ baseURL: 'https://api.example.com', use: [validation()] })
 * const user = await api.get('/users/1', { schema: z.object({ id: z.number(), name: z.string() }) })
 * //    ^? { id: number; name: string }
 *
 * @param options none yet; any name given is a TypeError (`schema` belongs to the call).
 */
export function validation(options?: Record<string, never>): Validation {
  checkOptions('validation()', options, {})
  return { name: 'validation', validate: validateWith }
}
