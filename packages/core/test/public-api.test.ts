import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
// @ts-expect-error a plain .mjs helper shared with scripts/public-exports.mjs
import { ENTRIES, ownExports, publicExports } from '../../../scripts/lib/public-exports.mjs'

/**
 * The public API is the documented API: every export of every entry has a row in
 * docs/reference.md#exports, and the tables name nothing an entry does not export. Internals that
 * volley's own packages share live in `@volley/core/internal`.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const reference = readFileSync(`${ROOT}docs/reference.md`, 'utf8')

function documented(entry: string): string[] {
  const exports = reference.slice(reference.indexOf('\n## Exports'))
  const start = exports.indexOf(`\n#### ${entry}\n`)
  expect(start, `docs/reference.md#exports has no "#### ${entry}" section`).toBeGreaterThan(0)
  const next = exports.indexOf('\n#### ', start + 1)
  const section = exports.slice(start, next < 0 ? undefined : next)
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!).sort()
}

describe('the public API', () => {
  const own = ownExports(publicExports(ROOT.replace(/\/$/, ''))) as Record<string, { name: string }[]>

  it.each((ENTRIES as { name: string }[]).map((e) => e.name))('%s exports exactly what docs/reference.md#exports lists', (entry) => {
    const actual = own[entry]!.map((e) => e.name).sort()
    const listed = documented(entry)
    expect({ undocumented: actual.filter((n) => !listed.includes(n)), notExported: listed.filter((n) => !actual.includes(n)) }).toEqual({ undocumented: [], notExported: [] })
  })

  it('keeps what sibling packages share out of the public entry', async () => {
    const core = await import('@volley/core')
    for (const name of ['resolveOptions', 'isRetryable', 'backoffDelay', 'serverDelay', 'transportFailure', 'decideRetry', 'askRetry']) expect(name in core, name).toBe(false)
    const internal = await import('@volley/core/internal')
    for (const name of ['resolveOptions', 'isRetryable', 'backoffDelay', 'serverDelay', 'transportFailure', 'decideRetry', 'askRetry']) expect(name in internal, name).toBe(true)
  })
})
