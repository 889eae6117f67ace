import { optionError } from './option-check.js'
import { SECRET_HEADERS } from '../observe/redact.js'

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/**
 * Header names and values are checked where options are resolved, so a malformed header fails
 * at once with a message that says what was expected, before anything is queued or sent (the
 * platform's own error differs per runtime, and some only fail at the socket).
 */

/** RFC 9110 §5.1: a field name is a token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** RFC 9110 §5.5: a field value never contains CR, LF or NUL. */
const FORBIDDEN_IN_VALUE = /[\r\n\0]/

/**
 * Throws a TypeError naming the header when its name is not a token or its value holds CR, LF or
 * NUL. The value is not quoted back for a secret header (`SECRET_HEADERS`).
 *
 * @example
 * checkHeader('x-trace', 'a\nb') // TypeError: volley: header "x-trace" has an invalid value: expected no CR, LF or NUL characters, got "a\nb"
 */
export function checkHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) {
    throw optionError('', `invalid header name ${JSON.stringify(name)}`, () => process.env.NODE_ENV !== 'production' && `invalid header name ${JSON.stringify(name)}: expected a token (letters, digits and !#$%&'*+.^_\`|~-)`)
  }
  if (FORBIDDEN_IN_VALUE.test(value)) {
    throw optionError('', `header "${name}" has an invalid value`, () =>
      process.env.NODE_ENV !== 'production' &&
      `header "${name}" has an invalid value: expected no CR, LF or NUL characters${SECRET_HEADERS.has(name.toLowerCase()) ? '' : `, got ${JSON.stringify(value)}`}`,
    )
  }
}
