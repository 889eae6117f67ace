// The public exports of each package entry, read from the sources with TypeScript's checker (types
// included), with each export's kind and the first sentence of its JSDoc. Used by the reference
// test (packages/core/test/public-api.test.ts) and by `node scripts/public-exports.mjs`, which
// prints the tables of docs/reference.md#exports.
import ts from 'typescript'

/** Each documented entry: its package name, its source, and the entry whose exports it re-exports. */
export const ENTRIES = [
  { name: '@volley/core', file: 'packages/core/src/index.ts' },
  { name: '@volley/node', file: 'packages/node/src/index.ts', extends: '@volley/core' },
  { name: '@volley/browser', file: 'packages/browser/src/index.ts', extends: '@volley/core' },
  { name: '@volley/redis', file: 'packages/redis/src/index.ts' },
]

function kindOf(symbol, checker) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
  const f = target.flags
  if (f & ts.SymbolFlags.Class) return 'class'
  if (f & ts.SymbolFlags.Function) return 'function'
  if (f & (ts.SymbolFlags.Variable | ts.SymbolFlags.Property)) return 'const'
  if (f & ts.SymbolFlags.Interface) return 'interface'
  if (f & ts.SymbolFlags.TypeAlias) return 'type'
  if (f & ts.SymbolFlags.Namespace) return 'namespace'
  return 'other'
}

function summaryOf(symbol, checker) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
  const text = ts.displayPartsToString(target.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim()
  const sentence = (/^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text).replace(/:$/, '.')
  return sentence.replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`').replace(/`(\S+?)\s+`/g, '`$1`').replace(/\|/g, '\\|')
}

/** `{ [entry]: [{ name, kind, summary }] }`, sorted by name. */
export function publicExports(root = process.cwd()) {
  const files = ENTRIES.map((e) => `${root}/${e.file}`)
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    customConditions: ['@volley/source'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  })
  const checker = program.getTypeChecker()
  const out = {}
  for (const entry of ENTRIES) {
    const source = program.getSourceFile(`${root}/${entry.file}`)
    const symbols = checker.getExportsOfModule(checker.getSymbolAtLocation(source))
    out[entry.name] = symbols
      .map((symbol) => ({ name: symbol.getName(), kind: kindOf(symbol, checker), summary: summaryOf(symbol, checker) }))
      .sort((a, b) => a.name.localeCompare(b.name))
  }
  return out
}

/** The names each entry adds to the one it extends (all of them for an entry that extends none). */
export function ownExports(all) {
  const own = {}
  for (const entry of ENTRIES) {
    const inherited = new Set((all[entry.extends] ?? []).map((e) => e.name))
    own[entry.name] = all[entry.name].filter((e) => !inherited.has(e.name))
  }
  return own
}
