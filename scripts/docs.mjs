// Docs as tests: every fenced code block of README.md, docs/*.md and packages/*/README.md (the
// package READMEs are the ones `npm pack` ships) is type-checked against the BUILT types, and every
// block that can run is run against a chaos server started on port 0. Run `npm run build` first;
// `npm test` does. Markers and what they mean: scripts/README.md#test-docs.
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { startChaosServer } from '@volley/chaos-server'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
// Inside the repo, so that `volley`, `msw`, `react`... resolve from its node_modules as they would
// in an app; git-ignored. Not under node_modules: vitest would not transform a test file there.
const OUT = join(ROOT, '.docs-test')
const TYPED = new Set(['ts', 'tsx', 'js', 'mjs', 'vue'])
const RUN_TIMEOUT_MS = 60_000
const DIRECTIVES = ['no-run', 'no-check', 'continues', 'expect-exit', 'output', 'vitest']
const DIRECTIVE_START = new RegExp(`;\\s*(?=(?:${DIRECTIVES.join('|')})\\b)`)

/**
 * Names the docs use without defining them: what the reader's own app has (a `User` type, a
 * `file` from an input, a `token`...). Given as ambient declarations so the blocks stay short; a
 * block that defines the same name shadows these.
 */
const GLOBALS = `/// <reference types="vitest/globals" />
interface User { id: number; name: string }
// openapi-typescript's output for the reader's API (the README's client.fetch example)
interface paths {}
// a connected node-redis client of the reader's
declare const redis: import('redis').RedisClientType
interface Problem { title: string }
interface Row { i: number; text: string }
declare const token: string
declare const file: File
declare const urls: string[]
declare const mirrors: string[]
declare const rows: unknown[]
declare function bar(percent: number | undefined): void
declare function render(data: string): void
declare const App: import('vue').Component
declare const props: { id: number }
declare const progress: HTMLProgressElement
declare const preview: HTMLImageElement
declare const button: HTMLButtonElement
declare const label: HTMLElement
`

/** The markdown files whose blocks are checked, relative to the root. */
function markdownFiles() {
  const docs = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)
  const packages = readdirSync(join(ROOT, 'packages')).map((name) => `packages/${name}/README.md`)
  return ['README.md', ...docs.sort(), ...packages.sort()]
}

/**
 * The fenced blocks of one file. A block's directives come from `<!-- docs-test: ... -->` comments
 * on the lines right above its fence, separated by `;`:
 * - `no-run: <why>`: type-checked but not run (the reason is required, and shows in the source);
 * - `no-check: <why>`: neither type-checked nor run;
 * - `continues`: the block goes on from the previous block of the file (its imports and names);
 * - `expect-exit: <n>`: a shell block that ends with exit status n on purpose;
 * - `output: <text>`: what the block prints (its output must contain it), as its comments say;
 * - `vitest`: a test file (`it`, `beforeAll`... as vitest globals): run by vitest, all such blocks in one run.
 */
function blocksOf(file) {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,})(\S*)/.exec(lines[i])
    if (!fence) continue
    let end = i + 1
    while (end < lines.length && !new RegExp(`^\\s*${fence[2]}\\s*$`).test(lines[end])) end++
    const directives = {}
    for (let j = i - 1; j >= 0 && /^<!-- docs-test: .* -->$/.test(lines[j].trim()); j--) {
      // A reason may hold `;` itself: only a `;` before a directive's name starts a new one.
      for (const part of lines[j].trim().slice('<!-- docs-test: '.length, -' -->'.length).split(DIRECTIVE_START)) {
        const [key, ...rest] = part.split(':')
        if (!DIRECTIVES.includes(key.trim())) throw new Error(`${file}:${j + 1}: unknown docs-test directive "${key.trim()}" (one of ${DIRECTIVES.join(', ')})`)
        directives[key.trim()] = rest.join(':').trim() || true
      }
    }
    const code = lines.slice(i + 1, end).map((line) => line.slice(fence[1].length)).join('\n')
    blocks.push({ file, line: i + 1, lang: fence[3], code, directives, previous: blocks.findLast((block) => block.lang !== '') })
    i = end
  }
  return blocks
}

/** A block's source as a module: a Vue SFC's `<script setup>`, the blocks it continues, `export {}` (top-level await). */
function moduleSource(block) {
  let code = block.code
  if (block.lang === 'vue') code = /<script setup lang="ts">([\s\S]*?)<\/script>/.exec(code)?.[1] ?? ''
  if (block.directives.continues && block.previous) code = `${moduleSource(block.previous).body}\n${code}`
  return { body: code, text: `${code}\nexport {}\n` }
}

function slug(block) {
  return `${block.file.replace(/[/.]/g, '_')}_${block.line}`
}

function extension(block) {
  return { tsx: 'tsx', js: 'mjs', mjs: 'mjs', vue: 'ts', ts: 'mts' }[block.lang]
}

// Which entry a block is checked against: the browser condition for browser code (JSX, SFCs,
// `@volley/browser`, MSW's worker), else Node's, as an app in each would resolve `volley`.
function platform(block) {
  if (block.lang === 'tsx' || block.lang === 'vue' || /@volley\/browser|msw\/browser|indexedDB/.test(block.code)) return 'browser'
  return 'node'
}

function typeCheck(blocks, failures) {
  const globals = join(OUT, 'globals.d.ts')
  writeFileSync(globals, GLOBALS)
  const base = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts', 'lib.dom.asynciterable.d.ts', 'lib.esnext.disposable.d.ts'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowJs: true,
    checkJs: true,
    jsx: ts.JsxEmit.ReactJSX,
    esModuleInterop: true,
  }
  for (const name of ['node', 'browser']) {
    const mine = blocks.filter((block) => platform(block) === name)
    if (mine.length === 0) continue
    const files = mine.map((block) => join(OUT, `${slug(block)}.${extension(block)}`))
    mine.forEach((block, index) => writeFileSync(files[index], moduleSource(block).text))
    const options = { ...base, customConditions: [name], types: name === 'node' ? ['node'] : [] }
    const program = ts.createProgram([globals, ...files], options)
    const byFile = new Map(mine.map((block, index) => [files[index], block]))
    const before = failures.length
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const block = diagnostic.file && byFile.get(diagnostic.file.fileName)
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
      if (!block) {
        failures.push(`types (${name}): ${diagnostic.file?.fileName ?? ''} ${message}`)
        continue
      }
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      const carried = block.directives.continues && block.previous ? moduleSource(block.previous).body.split('\n').length : 0
      const where = line >= carried ? `${block.file}:${block.line + 1 + line - carried}` : `${block.file}:${block.line} (in the block it continues)`
      failures.push(`types (${name}): ${where}: ${message}`)
    }
    console.log(`${failures.length === before ? 'PASS' : 'FAIL'} type-check of ${mine.length} blocks against the built types (${name} condition)`)
  }
}

/** Every `--conditions=x` the docs give must be a condition some package's exports define. */
function checkConditions(blocks, failures) {
  const known = new Set()
  const collect = (value) => {
    if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) (known.add(key), collect(inner))
  }
  for (const name of readdirSync(join(ROOT, 'packages'))) collect(JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8')).exports)
  for (const block of blocks) {
    for (const [, condition] of block.code.matchAll(/--conditions[= ](\S+)/g)) {
      if (!known.has(condition)) failures.push(`${block.file}:${block.line}: --conditions=${condition} is no export condition of any package`)
    }
  }
}

/** Runs a command without blocking this process, which serves the chaos server the block talks to. */
function exec(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const keep = (chunk) => (output = (output + chunk).slice(-4000))
    child.stdout.setEncoding('utf8').on('data', keep)
    child.stderr.setEncoding('utf8').on('data', keep)
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ status: null, signal: null, output: String(error) })
    })
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      resolve({ status, signal, output })
    })
  })
}

function run(block, chaosUrl) {
  const env = { ...process.env, VOLLEY_CHAOS_URL: chaosUrl, NODE_NO_WARNINGS: '1' }
  if (block.lang === 'sh') return exec('bash', ['-c', `set -e\n${block.code.replaceAll('http://127.0.0.1:8080', chaosUrl)}`], { cwd: OUT, env })
  const file = join(OUT, `${slug(block)}.run.${extension(block)}`)
  writeFileSync(file, moduleSource(block).text)
  // Without the @volley/source condition: the built packages, as an app gets them.
  if (extension(block) === 'mjs') return exec(process.execPath, [file], { cwd: OUT, env })
  return exec(join(ROOT, 'node_modules/.bin/tsx'), [file], { cwd: OUT, env })
}

const failures = []
rmSync(OUT, { recursive: true, force: true })
mkdirSync(OUT, { recursive: true })
const blocks = markdownFiles().flatMap(blocksOf)
const code = blocks.filter((block) => block.lang !== '')
for (const block of code) {
  if (!TYPED.has(block.lang) && block.lang !== 'sh') failures.push(`${block.file}:${block.line}: a \`${block.lang}\` block: use ts, tsx, js, mjs, vue or sh (or no language for a diagram)`)
  for (const key of ['no-run', 'no-check']) {
    if (block.directives[key] === true) failures.push(`${block.file}:${block.line}: ${key} needs a reason (<!-- docs-test: ${key}: why -->)`)
  }
}
checkConditions(code, failures)
typeCheck(code.filter((block) => TYPED.has(block.lang) && !block.directives['no-check']), failures)

const typesOnly = process.argv.includes('--types-only')
const runnable = typesOnly ? [] : code.filter((block) => !block.directives['no-run'] && !block.directives['no-check'])
const scripts = runnable.filter((block) => !block.directives.vitest)
const tests = runnable.filter((block) => block.directives.vitest)
if (!typesOnly && scripts.some((block) => block.lang === 'sh') && (await exec('curl', ['--version'], {})).status !== 0) {
  console.log('FAIL curl is missing: the shell blocks use it (apt-get install -y curl; .ci/run does)')
  process.exit(1)
}
const server = await startChaosServer()
try {
  for (const block of scripts) {
    const result = await run(block, server.url)
    const expected = Number(block.directives['expect-exit'] ?? 0)
    const printed = block.directives.output
    const ok = result.status === expected && (printed === undefined || result.output.includes(printed))
    console.log(`${ok ? 'PASS' : 'FAIL'} run ${block.file}:${block.line} (${block.lang})${expected ? `, exit ${expected} as documented` : ''}`)
    if (!ok) failures.push(`${block.file}:${block.line}: exit ${result.status ?? result.signal} (expected ${expected})${printed === undefined ? '' : `, printing ${printed}`}\n${result.output}`)
  }
  if (tests.length > 0) {
    const dir = join(OUT, 'vitest')
    mkdirSync(dir)
    for (const block of tests) writeFileSync(join(dir, `${slug(block)}.test.mts`), moduleSource(block).text)
    // Its own config: the repo's runs src/ through @volley/source; these get the built packages.
    writeFileSync(join(dir, 'vitest.config.mjs'), `export default { test: { root: ${JSON.stringify(dir)}, include: ['*.test.mts'], globals: true } }\n`)
    const env = { ...process.env, VOLLEY_CHAOS_URL: server.url }
    const result = await exec(join(ROOT, 'node_modules/.bin/vitest'), ['run', '--config', join(dir, 'vitest.config.mjs')], { cwd: dir, env })
    const where = tests.map((block) => `${block.file}:${block.line}`).join(', ')
    console.log(`${result.status === 0 ? 'PASS' : 'FAIL'} vitest run of ${tests.length} test blocks (${where})`)
    if (result.status !== 0) failures.push(`vitest (${where}): exit ${result.status ?? result.signal}\n${result.output}`)
  }
} finally {
  await server.close()
}

const skipped = code.filter((block) => block.directives['no-run'] || block.directives['no-check'])
console.log(`\n${code.length} code blocks in ${new Set(code.map((block) => block.file)).size} files: ${runnable.length} run, ${skipped.length} not run (each marked with its reason):`)
for (const block of skipped) console.log(`  ${block.file}:${block.line} ${block.directives['no-check'] ? 'no-check' : 'no-run'}: ${block.directives['no-check'] ?? block.directives['no-run']}`)
for (const failure of failures) console.log(`FAIL ${failure}`)
console.log(`\n${failures.length === 0 ? 'PASS' : 'FAIL'}: docs ${failures.length} failures`)
process.exit(failures.length === 0 ? 0 : 1)
