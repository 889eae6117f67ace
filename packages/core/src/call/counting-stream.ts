import type { AttemptContext } from '../policies/policy.js'

/**
 * Wraps a request body so every chunk the transport pulls is counted into `attempt.bytesOut`
 * (and `onBytes`, for upload progress), and the idle timer spans the waits between pulls: until
 * the next pull, or the response headers, the attempt is waiting on the network.
 */
export function countingStream(source: ReadableStream<Uint8Array>, attempt: Pick<AttemptContext, 'armIdle' | 'disarmIdle' | 'bytesOut'>, onBytes?: (bytes: number) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        attempt.disarmIdle()
        const chunk = await reader.read()
        if (chunk.done) controller.close()
        else {
          attempt.bytesOut += chunk.value.byteLength
          onBytes?.(chunk.value.byteLength)
          controller.enqueue(chunk.value)
        }
        attempt.armIdle()
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  )
}
