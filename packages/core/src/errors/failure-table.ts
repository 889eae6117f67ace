/**
 * What a platform's network failures look like, so that only they are retried (docs/DESIGN.md#retries:
 * "only recognised failures are retryable"). Each platform entry carries the table of what its
 * transports throw (docs/DESIGN.md#classification-per-platform): a browser bundle holds the engines'
 * messages, not Node's socket codes.
 */
export interface NetworkFailureTable {
  /** Error `code`s (on the error or its cause chain) that mean the network failed: `ECONNRESET`, `UND_ERR_SOCKET`. */
  readonly codes: ReadonlySet<string>
  /** Exact `TypeError` messages of a network failure, where the platform gives no code (browsers). */
  readonly messages: ReadonlySet<string>
  /** `TypeError` messages with a detail in them: Safari's `Load failed (host)`, Deno's URL. */
  readonly patterns: readonly RegExp[]
  /**
   * Messages of an `AbortError` an engine raises by itself when a connection breaks mid-body
   * (Firefox after a TCP reset). Consulted only for an attempt volley did not abort, because a
   * caller's abort carries the same message.
   */
  readonly aborts: ReadonlySet<string>
}
