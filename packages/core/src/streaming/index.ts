/** Streaming building blocks: progress, body size, and iterators over lines, NDJSON and SSE. */
export {
  createProgressTracker,
  type Progress,
  type ProgressCallback,
  type ProgressTracker,
  type ProgressTrackerOptions,
} from './progress.js'
export { bodySize } from './body-size.js'
export { lines, type StreamIteratorOptions } from './lines.js'
export { ndjson, type NdjsonOptions } from './ndjson.js'
export {
  parseSSE,
  sse,
  type SSEMessage,
  type SSEOptions,
  type SSEConnectContext,
  type SSEReconnectContext,
} from './sse.js'
