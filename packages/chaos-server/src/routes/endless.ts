import { MAX_CHUNK_SIZE } from '../bytes.js'
import { readChoice, readInt } from '../params.js'
import { writeChunk } from '../respond.js'
import type { RouteDefinition } from '../router.js'

/** What `/endless` never finishes. */
export const ENDLESS_KINDS = ['line', 'sse', 'sse-lines'] as const

/**
 * `GET /endless?kind=line&chunkSize=4096`: a body that grows one item forever, as fast as the
 * client reads (with backpressure), until the client goes away:
 *
 * - `line`: one line that never gets its newline (`text/plain`);
 * - `sse`: one SSE `data:` line that never ends (`text/event-stream`);
 * - `sse-lines`: one SSE event of endless `data:` lines, never ended by a blank line.
 *
 * For the size limits of line and event parsers: a client without one would grow a string until
 * the process runs out of memory.
 */
export const endless: RouteDefinition = {
  name: 'endless',
  path: '/endless',
  methods: ['GET'],
  async handle(ctx) {
    const { res, query } = ctx
    const kind = readChoice(query, 'kind', ENDLESS_KINDS, 'line')
    const chunkSize = readInt(query, 'chunkSize', 4096, { min: 8, max: MAX_CHUNK_SIZE })
    res.writeHead(200, { 'Content-Type': kind === 'line' ? 'text/plain' : 'text/event-stream', 'Cache-Control': 'no-store' })
    const filler = kind === 'sse-lines' ? `data: ${'a'.repeat(chunkSize - 7)}\n` : 'a'.repeat(chunkSize)
    if (kind === 'sse' && !(await writeChunk(ctx, res, 'data: '))) return
    while (await writeChunk(ctx, res, filler)) {
      // Yield to the event loop between chunks, so a fast reader does not starve the server.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  },
}
