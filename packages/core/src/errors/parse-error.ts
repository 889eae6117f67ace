import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

const EXCERPT_LENGTH = 200

/** The response body could not be parsed as its content type (e.g. invalid JSON). Not retried. */
export class ParseError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'ParseError'
  static override readonly code = 'ERR_PARSE' as const
  /** The response's Content-Type header. */
  readonly contentType: string
  /** The first 200 characters of the body. */
  readonly excerpt: string
  /** The response status. */
  readonly status: number

  constructor(options: VolleyErrorOptions & { contentType: string; body: string; status: number }) {
    const excerpt =
      options.body.length > EXCERPT_LENGTH ? `${options.body.slice(0, EXCERPT_LENGTH)}…` : options.body
    const reason = options.cause instanceof Error ? options.cause.message : 'invalid body'
    super(`could not parse ${options.contentType || 'body'}: ${reason}`, options)
    this.contentType = options.contentType
    this.excerpt = excerpt
    this.status = options.status
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), contentType: this.contentType, excerpt: this.excerpt, status: this.status }
  }
}

/** True for a {@link ParseError} from any installed copy of volley. */
export function isParseError(value: unknown): value is ParseError {
  return isVolleyError(value) && value.code === ParseError.code
}
