import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * docs/reference.md cannot drift from the types: every property of the types below must have a
 * row in its section of the reference, and a section must name nothing its type lacks.
 *
 * The convention (see the top of docs/reference.md):
 * - a section is a heading (`##`, `###` or `####`) whose text is exactly `section` below; it ends
 *   at the next heading of the same or a higher level;
 * - a documented name is the first `code span` of a table row (`| \`name\` | ... |`);
 * - `check: 'properties'` (the default) compares those names with the type's properties, inherited
 *   ones included; for a union (`SafeResult`, `Settled`, `VolleyEvent`), with every property of
 *   any member; `check: 'values'` compares them with the string-literal values the members give
 *   the property `of` (e.g. each event's `type`).
 *
 * When a type gains, loses or renames a property, update its table in docs/reference.md; when a
 * type moves or a section is renamed, update this table.
 */
const SECTIONS: ReadonlyArray<{ type: string; file: string; section: string; check?: 'properties' | 'values'; of?: string }> = [
  { type: 'VolleyOptions', file: 'packages/core/src/options/options.ts', section: 'VolleyOptions' },
  { type: 'TimeoutOptions', file: 'packages/core/src/options/options.ts', section: 'TimeoutOptions' },
  { type: 'RetryOptions', file: 'packages/core/src/options/options.ts', section: 'RetryOptions' },
  { type: 'RetryContext', file: 'packages/core/src/options/options.ts', section: 'RetryContext' },
  { type: 'PoolOptions', file: 'packages/core/src/limits/pool/resolve-pool-options.ts', section: 'PoolOptions' },
  { type: 'PoolStats', file: 'packages/core/src/limits/pool.ts', section: 'PoolStats' },
  { type: 'RateLimitOptions', file: 'packages/core/src/limits/rate-limiter.ts', section: 'RateLimitOptions' },
  { type: 'RateLimiterState', file: 'packages/core/src/limits/rate-limiter.ts', section: 'RateLimiterState' },
  { type: 'RetryBudgetOptions', file: 'packages/core/src/policies/retry-budget.ts', section: 'RetryBudgetOptions' },
  { type: 'RetryBudgetState', file: 'packages/core/src/policies/retry-budget.ts', section: 'RetryBudgetState' },
  { type: 'CircuitBreakerOptions', file: 'packages/core/src/policies/circuit-breaker.ts', section: 'CircuitBreakerOptions' },
  { type: 'CircuitBreakerState', file: 'packages/core/src/policies/circuit-breaker.ts', section: 'CircuitBreakerState' },
  { type: 'DedupeOptions', file: 'packages/core/src/policies/dedupe.ts', section: 'DedupeOptions' },
  { type: 'HedgeOptions', file: 'packages/core/src/policies/hedge-policy.ts', section: 'HedgeOptions' },
  { type: 'MapOptions', file: 'packages/core/src/fan-out/fan-out-types.ts', section: 'MapOptions' },
  { type: 'NodeTransportOptions', file: 'packages/node/src/transport-options.ts', section: 'NodeTransportOptions' },
  { type: 'NodeTlsOptions', file: 'packages/node/src/transport-options.ts', section: 'NodeTlsOptions' },
  { type: 'DownloadOptions', file: 'packages/node/src/download.ts', section: 'Node download options' },
  { type: 'DownloadChecksum', file: 'packages/node/src/download.ts', section: 'DownloadChecksum' },
  { type: 'DownloadResult', file: 'packages/node/src/download.ts', section: 'Node download result' },
  { type: 'FileBodyOptions', file: 'packages/node/src/file-body.ts', section: 'FileBodyOptions' },
  { type: 'RedisCacheStoreOptions', file: 'packages/redis/src/redis-cache-store.ts', section: 'Redis cache store' },
  { type: 'BrowserTransportOptions', file: 'packages/browser/src/transport.ts', section: 'BrowserTransportOptions' },
  { type: 'DownloadOptions', file: 'packages/browser/src/download.ts', section: 'Browser download options' },
  { type: 'DownloadResult', file: 'packages/browser/src/download.ts', section: 'Browser download result' },
  { type: 'SaveFileOptions', file: 'packages/browser/src/save-file.ts', section: 'SaveFileOptions' },
  { type: 'SaveFileResult', file: 'packages/browser/src/save-file.ts', section: 'SaveFileResult' },
  { type: 'OtelOptions', file: 'packages/otel/src/telemetry.ts', section: 'OtelOptions' },
  { type: 'Progress', file: 'packages/core/src/streaming/progress.ts', section: 'Progress' },
  { type: 'SafeResult', file: 'packages/core/src/client.ts', section: 'SafeResult' },
  { type: 'Settled', file: 'packages/core/src/fan-out/fan-out-types.ts', section: 'Settled' },
  { type: 'Meta', file: 'packages/core/src/call/meta.ts', section: 'Meta' },
  { type: 'AttemptMeta', file: 'packages/core/src/call/meta.ts', section: 'AttemptMeta' },
  { type: 'MetricsSnapshot', file: 'packages/core/src/observe/metrics.ts', section: 'MetricsSnapshot' },
  { type: 'VolleyEvent', file: 'packages/core/src/observe/events.ts', section: 'Event types', check: 'values', of: 'type' },
  { type: 'VolleyEvent', file: 'packages/core/src/observe/events.ts', section: 'Event fields' },
]

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const REFERENCE = 'docs/reference.md'

/** The first code span of each table row in the section headed exactly `title`, or undefined without one. */
function documentedNames(markdown: string, title: string): string[] | undefined {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => /^#{2,4} /.test(line) && line.replace(/^#+ /, '').trim() === title)
  if (start === -1) return undefined
  const level = /^#+/.exec(lines[start]!)![0].length
  const names: string[] = []
  for (const line of lines.slice(start + 1)) {
    const heading = /^(#+) /.exec(line)
    if (heading && heading[1]!.length <= level) break
    const row = /^\|\s*`([^`]+)`/.exec(line)
    if (row) names.push(row[1]!)
  }
  return names
}

function program(): ts.Program {
  const config = ts.readConfigFile(`${ROOT}tsconfig.json`, ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT)
  return ts.createProgram([...new Set(SECTIONS.map((entry) => `${ROOT}${entry.file}`))], options)
}

/** The members of a type: the type itself, or each member of a union. */
function members(checker: ts.TypeChecker, file: ts.SourceFile, name: string): ts.Type[] {
  const declaration = file.statements.find(
    (node): node is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
      (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && node.name.text === name,
  )
  if (!declaration) throw new Error(`${file.fileName} declares no ${name}`)
  const type = checker.getTypeAtLocation(declaration.name)
  return type.isUnion() ? type.types : [type]
}

function typeNames(checker: ts.TypeChecker, file: ts.SourceFile, entry: (typeof SECTIONS)[number]): string[] {
  const names = new Set<string>()
  for (const member of members(checker, file, entry.type)) {
    for (const property of checker.getPropertiesOfType(member)) {
      if (entry.check !== 'values') names.add(property.name)
      else if (property.name === entry.of) {
        const value = checker.getTypeOfSymbol(property)
        if (value.isStringLiteral()) names.add(value.value)
      }
    }
  }
  return [...names].sort()
}

describe('docs/reference.md', () => {
  const markdown = readFileSync(`${ROOT}${REFERENCE}`, 'utf8')
  const built = program()
  const checker = built.getTypeChecker()

  it.each(SECTIONS.map((entry) => [`${entry.section} (${entry.type}, ${entry.file})`, entry] as const))(
    'documents exactly the names of %s',
    (_, entry) => {
      const file = built.getSourceFile(`${ROOT}${entry.file}`)
      expect(file, `${entry.file} is not in the program`).toBeDefined()
      const documented = documentedNames(markdown, entry.section)
      expect(documented, `${REFERENCE} has no heading "${entry.section}"`).toBeDefined()
      const actual = typeNames(checker, file!, entry)
      expect(actual.length, `${entry.type} has no properties: is the table entry right?`).toBeGreaterThan(0)
      const missing = actual.filter((name) => !documented!.includes(name))
      const unknown = documented!.filter((name) => !actual.includes(name))
      expect({ missing, unknown }, `section "${entry.section}" of ${REFERENCE}`).toEqual({ missing: [], unknown: [] })
    },
  )
})
