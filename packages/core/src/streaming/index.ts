/** Streaming building blocks: progress, body size, and iterators over lines, NDJSON and SSE. */
export {
  createProgressTracker,
  type Progress,
  type ProgressCallback,
  type ProgressTracker,
  type ProgressTrackerOptions,
} from './progress.js'
export { bodySize } from './body-size.js'
export { lines, type LineOptions, type StreamIteratorOptions } from './lines.js'
export { DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_LENGTH } from './limits.js'
export { ndjson, type NdjsonOptions } from './ndjson.js'
export {
  parseSSE,
  sse,
  type ParseSSEOptions,
  type SSEMessage,
  type SSEOptions,
  type SSEConnectContext,
  type SSEReconnectContext,
} from './sse.js'
