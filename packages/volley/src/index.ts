/**
 * volley for runtimes with a standard fetch and nothing else to add: Deno, Bun, workers and any
 * bundler without a `node` or `browser` condition. Same API as the Node and browser entries.
 */
export * from '@volley/core'
