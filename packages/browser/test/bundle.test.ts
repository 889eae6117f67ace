import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { parseAst } from 'rollup/parseAst'
import { beforeAll, describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))

/**
 * Everything @volley/browser exports is ~46 KB gzip (with the HTTP cache and the hostile-server rules) (the per-feature budgets live in
 * scripts/size-budget.json); a Node polyfill or a Node-only entry sneaking in would blow far past
 * this bound.
 */
const MAX_GZIP_BYTES = 48 * 1024

/** Node-only globals a browser bundle must not touch. */
const NODE_GLOBALS = new Set(['require', 'process', 'Buffer', 'global', 'setImmediate'])

interface AstNode {
  type: string
  start: number
  end: number
  [key: string]: unknown
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string'
}

/** Names tested with `typeof name` anywhere inside `node`. */
function typeofNames(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const child of node) typeofNames(child, out)
  else if (isNode(node)) {
    const argument = node.argument
    if (node.type === 'UnaryExpression' && node.operator === 'typeof' && isNode(argument) && argument.type === 'Identifier') out.add(argument.name as string)
    for (const child of Object.values(node)) if (typeof child === 'object') typeofNames(child, out)
  }
  return out
}

/**
 * Every read of a Node global in `code`, parsed (so names inside strings, property names like
 * `globalThis.process` and `typeof x` feature checks do not count). A read guarded by a
 * `typeof` test (`if (typeof global < "u") return global`, ofetch's global-object lookup, which
 * returns `globalThis` first in every browser) is allowed.
 */
function nodeGlobalReads(code: string): string[] {
  const found: string[] = []
  const visit = (node: unknown, parent: AstNode | undefined, key: string, guarded: ReadonlySet<string>): void => {
    if (Array.isArray(node)) return node.forEach((child) => visit(child, parent, key, guarded))
    if (!isNode(node)) return
    if (node.type === 'Identifier' && NODE_GLOBALS.has(node.name as string) && !guarded.has(node.name as string)) {
      const isKey = (key === 'property' || key === 'key') && parent?.computed !== true
      const isTypeof = parent?.type === 'UnaryExpression' && parent.operator === 'typeof'
      if (!isKey && !isTypeof) found.push(code.slice(Math.max(0, node.start - 40), node.end + 40))
    }
    const branching = node.type === 'IfStatement' || node.type === 'ConditionalExpression' || node.type === 'LogicalExpression'
    const test = node.type === 'LogicalExpression' ? node.left : node.test
    const inGuard = branching ? new Set([...guarded, ...typeofNames(test)]) : guarded
    for (const [childKey, child] of Object.entries(node)) {
      if (typeof child !== 'object' || child === null) continue
      const isGuardedBranch = childKey === 'consequent' || (node.type === 'LogicalExpression' && childKey === 'right')
      visit(child, node, childKey, isGuardedBranch ? inGuard : guarded)
    }
  }
  visit(parseAst(code), undefined, '', new Set())
  return found
}

let code = ''
let inputs: string[] = []

beforeAll(async () => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // `@volley/source` resolves workspace packages to src/; `browser` picks ofetch's browser entry.
    conditions: ['@volley/source', 'browser'],
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  code = result.outputFiles[0]?.text ?? ''
  inputs = Object.keys((result.metafile as Metafile).inputs)
}, 60_000)

describe('browser bundle', () => {
  it('bundles the browser entry without Node-only code', () => {
    expect(code.length).toBeGreaterThan(0)
    expect(code).not.toMatch(/["'`]node:/)
    expect(nodeGlobalReads(code)).toEqual([])
  })

  it('the checker flags Node globals and ignores guarded or non-reads', () => {
    expect(nodeGlobalReads('process.env.X;Buffer.from("a");setImmediate(f);require("x");global.y=1')).toHaveLength(5)
    const harmless = 'function f(){if(typeof global<"u")return global;return globalThis.process?.versions}' + ';typeof process<"u"&&process.env;var o={Buffer:1};throw new Error("global.fetch")'
    expect(nodeGlobalReads(harmless)).toEqual([])
  })

  it("picks ofetch's browser entry, not its Node one", () => {
    const ofetch = inputs.filter((input) => input.includes('node_modules/ofetch/'))
    expect(ofetch.length).toBeGreaterThan(0)
    expect(ofetch.some((input) => /\/node\.(?:mjs|cjs)$/.test(input))).toBe(false)
    expect(inputs.some((input) => input.includes('packages/core/src/'))).toBe(true)
  })

  it('stays small once minified and gzipped', () => {
    const minified = Buffer.byteLength(code)
    const gzipped = gzipSync(code, { level: 9 }).byteLength
    console.log(`@volley/browser bundle: ${(minified / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB gzip (${inputs.length} inputs)`)
    expect(gzipped).toBeLessThan(MAX_GZIP_BYTES)
  })
})
