/**
 * @volley/core/internal — what volley's own packages (@volley/node, @volley/browser,
 * @volley/redis, @volley/otel) share with the core and users do not need: option resolution, the
 * retry decision, runtime feature checks, the network-failure classification. Not part of the
 * documented API (docs/reference.md): it may change in any release.
 */
export { resolveOptions, defaultRetry, defaultTimeouts } from './options/resolve-options.js'
export { askRetry, backoffDelay, decideRetry, isRetryable, planRetry, serverDelay, type RetryDecision, type RetryInput, type RetryPlan, type RetryScope, type RetryStop } from './call/retry.js'
export { isBrowserLike, supportsRequestStreams } from './runtime/features.js'
export { isReadableStream } from './runtime/is-stream.js'
export { NETWORK_FAILURE_CODES, NETWORK_FAILURE_MESSAGES, transportFailure } from './errors/network-failure.js'
export { bodySize } from './streaming/body-size.js'
export { createLatencySketch, type LatencySketch } from './policies/latency-sketch.js'
export { concatBytes } from './runtime/bytes.js'
export { missingClockMethod } from './options/option-check.js'
