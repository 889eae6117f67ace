/** Where the handler writes the bytes of a response body: the body itself, or a decoder in front of it. */
export interface BodySink {
  /** A chunk from the network; false asks the socket to pause. */
  write(chunk: Buffer): boolean
  end(): void
  error(cause: unknown): void
}
