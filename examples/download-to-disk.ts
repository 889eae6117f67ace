// runtimes: node
/**
 * Download a file to disk with a progress line; the connection breaks half-way, and volley resumes
 * from the partial file with Range + If-Range, verifies the SHA-256 and renames atomically.
 * Run: npm run example -- examples/download-to-disk.ts
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expectedSha256, startChaosServer } from '@volley/chaos-server'
import { download } from '@volley/node'

const server = await startChaosServer()
const dir = await mkdtemp(join(tmpdir(), 'volley-example-'))
const size = 20_000_000
try {
  const result = await download(`${server.url}/file/${size}?key=example&resetAfter=8000000`, join(dir, 'data.bin'), {
    checksum: { algorithm: 'sha256', expected: expectedSha256(size) },
    retry: { limit: 3, delay: 50 },
    onProgress: (p) => process.stdout.write(`\r  ${(p.percent ?? 0).toFixed(0).padStart(3)}%  ${(p.loaded / 1e6).toFixed(1)} MB`),
  })
  console.log(`\n  saved ${result.bytes} bytes, resumed from byte ${result.resumedFrom}, sha256 ${result.checksum?.slice(0, 16)}…`)
  console.log(`  on disk: ${(await stat(result.path)).size} bytes`)
} finally {
  await rm(dir, { recursive: true, force: true })
  await server.close()
}
