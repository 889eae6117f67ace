// `npm run test:packages`: checks what `npm publish` would ship, on the built dist/ (run
// `npm run build` first). For every publishable package:
//   1. pack      `npm pack` into a temp dir: the tarball is what the other checks read;
//   2. publint   on the tarball (strict: warnings fail);
//   3. attw      are-the-types-wrong on the tarball, profile esm-only (the packages are ESM only;
//                CommonJS users get them through require(esm), proved by scripts/require-smoke.cjs);
// then, across packages:
//   4. types     tsc 5.9 compiles a consumer in every resolution mode (node16, nodenext ESM and
//                CJS, bundler with the browser/deno/bun/worker conditions), and each mode gets the
//                right entry (node / browser / core types);
//   5. no TLA    no top-level await anywhere in the ESM graph, for every condition: it would make
//                require(esm) throw ERR_REQUIRE_ASYNC_MODULE;
//   6. size      esbuild browser bundles, minified, gzip -9, against scripts/size-budget.json; the
//                issue's goals are reported (met or not), and the biggest modules are listed.
//
// Usage: node scripts/check-packages.mjs [--update-budgets]
// Output: one line per check, a summary, then `N passed, M failed`; exit code 1 on any failure.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(ROOT, 'node_modules/.bin')
const BUDGET_FILE = join(ROOT, 'scripts/size-budget.json')
const PACKAGES = ['core', 'node', 'browser', 'volley', 'redis', 'otel', 'chaos-server']
const UPDATE_BUDGETS = process.argv.includes('--update-budgets')

let passed = 0
let failed = 0
const failures = []
function report(ok, name, detail = '') {
  if (ok) passed++
  else {
    failed++
    failures.push(name)
  }
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`)
}
const indent = (text) => text.trimEnd().split('\n').map((line) => `    ${line}`).join('\n')
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`

function run(argv, cwd = ROOT) {
  return new Promise((resolvePromise) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', (error) => resolvePromise({ code: -1, stdout, stderr: `${stderr}${error.message}` }))
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }))
  })
}

/** Runs async jobs `limit` at a time (the machine has 2 cores), keeping results in input order. */
async function inParallel(items, limit, fn) {
  const results = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

const missing = PACKAGES.filter((dir) => !existsSync(join(ROOT, `packages/${dir}/dist/index.js`)))
if (missing.length > 0) {
  report(false, 'built packages present', `no dist for ${missing.join(', ')}: run \`npm run build\` first`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(1)
}

const tmp = mkdtempSync(join(tmpdir(), 'volley-packages-'))
try {
  // --- 1-3. pack, publint, attw ----------------------------------------------------------------
  console.log('== pack, publint, attw')
  const tarballs = []
  for (const dir of PACKAGES) {
    const pkgDir = join(ROOT, 'packages', dir)
    const { name } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
    const pack = await run(['npm', 'pack', '--json', '--pack-destination', tmp], pkgDir)
    let info
    try {
      info = JSON.parse(pack.stdout)[0]
    } catch {
      report(false, `pack ${name}`, `npm pack failed:\n${indent(pack.stderr || pack.stdout)}`)
      continue
    }
    const files = info.files.map((file) => file.path)
    // Only the build, the CLI launcher and the usual metadata belong in the tarball.
    const stray = files.filter((file) => !/^(dist\/|bin\/|package\.json$|README\.md$|LICENSE)/.test(file))
    report(stray.length === 0, `pack ${name}`, `${files.length} files, ${kb(info.size)} packed, ${kb(info.unpackedSize)} unpacked${stray.length ? `; unexpected: ${stray.join(', ')}` : ''}`)
    if (!files.includes('README.md')) console.log(`    note: ${name} ships no README.md (npm shows an empty page)`)
    tarballs.push({ name, dir, tarball: join(tmp, info.filename) })
  }

  for (const { name, tarball } of tarballs) {
    const buffer = readFileSync(tarball)
    const { messages, pkg } = await publint({
      pack: { tarball: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) },
      strict: true,
      level: 'suggestion',
    })
    const blocking = messages.filter((message) => message.type !== 'suggestion')
    const lines = messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`)
    report(blocking.length === 0, `publint ${name}`, messages.length === 0 ? 'all good' : `${blocking.length} error(s)/warning(s)`)
    if (lines.length > 0) console.log(indent(lines.join('\n')))
  }

  for (const { name, tarball } of tarballs) {
    const attw = await run([join(BIN, 'attw'), tarball, '--profile', 'esm-only', '--format', 'json'])
    let result
    try {
      result = JSON.parse(attw.stdout)
    } catch {
      report(false, `attw ${name}`, `no JSON from attw (exit ${attw.code}):\n${indent(attw.stderr || attw.stdout)}`)
      continue
    }
    // The esm-only profile ignores node16-cjs: CommonJS callers load ESM through require(esm).
    const problems = Object.values(result.problems ?? {}).flat().filter((problem) => problem.resolutionKind !== 'node16-cjs')
    const resolved = result.analysis.entrypoints['.']?.resolutions ?? {}
    const where = Object.entries(resolved)
      .map(([kind, { resolution }]) => `${kind}${kind === 'node16-cjs' ? ' (ignored)' : ''} → ${resolution?.fileName.replace(`/node_modules/${name}/`, '') ?? 'unresolved'}`)
      .join(', ')
    report(attw.code === 0 && problems.length === 0, `attw ${name} (profile esm-only)`, where)
    for (const problem of problems) console.log(`    ${problem.kind} at '${problem.entrypoint}' (${problem.resolutionKind})`)
  }

  // --- 4. types in every resolution mode --------------------------------------------------------
  console.log('== types resolve in every mode (tsc, dist .d.ts as published)')
  await checkTypes()

  // --- 5. no top-level await (require(esm) would throw) ----------------------------------------
  console.log('== no top-level await in the ESM graph (require(esm) safety)')
  await checkNoTopLevelAwait()

  // --- 6. size budgets ---------------------------------------------------------------------------
  console.log('== size (esbuild, platform browser, minified, gzip -9)')
  await checkSizes()
} finally {
  rmSync(tmp, { recursive: true, force: true })
}

if (failures.length > 0) console.log(`failed checks:\n${failures.map((name) => `  - ${name}`).join('\n')}`)
console.log(`packages: ${failed === 0 ? 'PASS' : 'FAIL'}`)
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1

// ------------------------------------------------------------------------------------------------

/**
 * A consumer project in a temp dir whose node_modules is the repo's (workspace links to
 * packages/*), compiled without the `@volley/source` condition: types come from dist/ exactly as
 * a user would get them. Each mode imports one export only the expected entry has, and marks the
 * others' with @ts-expect-error, so a mode that picks the wrong entry fails.
 */
async function checkTypes() {
  const dir = join(tmp, 'types')
  mkdirSync(dir)
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')

  const common = [
    `import { createClient, createPool, volley, isHTTPError, isTimeoutError, type SafeResult, type VolleyOptions } from 'volley'`,
    `const options: VolleyOptions = { baseURL: 'http://127.0.0.1:1', timeout: { total: 1000, attempt: 500 }, retry: 2, pool: createPool({ concurrency: 4 }) }`,
    `const client = createClient(options)`,
    `const todo: Promise<{ id: number }> = client.get<{ id: number }>('/todos/1')`,
    `const safe: Promise<SafeResult<unknown>> = client.safe.get('/x')`,
    `void [todo, safe, volley.get('/x'), isHTTPError, isTimeoutError]`,
  ]
  const entry = {
    node: [`import { createNodeTransport } from 'volley'`, `// @ts-expect-error the node entry has no saveFile`, `import { saveFile } from 'volley'`, `void [createNodeTransport, saveFile]`],
    browser: [`import { saveFile } from 'volley'`, `// @ts-expect-error the browser entry has no node transport`, `import { createNodeTransport } from 'volley'`, `void [createNodeTransport, saveFile]`],
    core: [`// @ts-expect-error the core entry has no saveFile`, `import { saveFile } from 'volley'`, `// @ts-expect-error the core entry has no node transport`, `import { createNodeTransport } from 'volley'`, `void [createNodeTransport, saveFile]`],
  }
  const packages = [
    `import * as core from '@volley/core'`,
    `import * as node from '@volley/node'`,
    `import * as browser from '@volley/browser'`,
    `import { startChaosServer } from '@volley/chaos-server'`,
    `import { createRedisStore } from '@volley/redis'`,
    `import { otel } from '@volley/otel'`,
    `void [core.createClient, node.download, browser.saveFile, startChaosServer, createRedisStore, otel]`,
  ]
  const files = {
    'node.mts': [...common, ...entry.node, ...packages],
    'browser.ts': [...common, ...entry.browser],
    'core.ts': [...common, ...entry.core],
    // TypeScript >= 5.8 types require() of ESM under module nodenext, as Node >= 20.19 runs it.
    'require.cts': [
      `import volley = require('volley')`,
      `import core = require('@volley/core')`,
      `const client = volley.createClient({ baseURL: 'http://127.0.0.1:1' })`,
      `void [client.get<{ id: number }>('/x'), volley.createNodeTransport, core.createClient]`,
    ],
  }
  for (const [file, lines] of Object.entries(files)) writeFileSync(join(dir, file), `${lines.join('\n')}\n`)

  const base = { strict: true, noEmit: true, target: 'ES2022', skipLibCheck: true }
  const dom = ['ES2023', 'DOM', 'DOM.Iterable', 'DOM.AsyncIterable']
  const modes = [
    // skipLibCheck off once: the bundled .d.ts from rollup-plugin-dts must type-check themselves
    // (TypeScript's own lib files are skipped: they cost most of the time and are not ours).
    { name: 'nodenext (ESM + require of ESM), node entry, .d.ts checked', files: ['node.mts', 'require.cts'], options: { module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], lib: dom, skipLibCheck: false, skipDefaultLibCheck: true } },
    { name: 'node16, node entry', files: ['node.mts'], options: { module: 'node16', moduleResolution: 'node16', types: ['node'], lib: dom } },
    { name: 'bundler, no condition → core entry', files: ['core.ts'], options: { module: 'esnext', moduleResolution: 'bundler', types: [], lib: dom } },
    { name: "bundler + 'browser' → browser entry", files: ['browser.ts'], options: { module: 'esnext', moduleResolution: 'bundler', customConditions: ['browser'], types: [], lib: dom } },
    ...['deno', 'bun', 'worker'].map((condition) => ({
      name: `bundler + '${condition}' → core entry`,
      files: ['core.ts'],
      options: { module: 'esnext', moduleResolution: 'bundler', customConditions: [condition], types: [], lib: dom },
    })),
  ]
  // Browser, Deno, Bun and worker modes compile with `types: []`: their entries need no Node types.
  await inParallel(modes, 2, async (mode, index) => {
    const config = join(dir, `tsconfig.${index}.json`)
    writeFileSync(config, JSON.stringify({ compilerOptions: { ...base, ...mode.options }, files: mode.files }, null, 2))
    const started = Date.now()
    const tsc = await run([join(BIN, 'tsc'), '-p', config, '--pretty', 'false'], dir)
    mode.result = { ok: tsc.code === 0, output: tsc.stdout + tsc.stderr, ms: Date.now() - started }
  })
  for (const mode of modes) {
    report(mode.result.ok, `types: ${mode.name}`, `${(mode.result.ms / 1000).toFixed(1)} s`)
    if (!mode.result.ok) console.log(indent(mode.result.output))
  }
}

/**
 * esbuild refuses top-level await when the output format is CommonJS, exactly the case where
 * require(esm) throws. Bundling every entry for every condition as CJS finds any TLA in our dist
 * or in the ESM entries of our dependencies (ofetch, eventsource-parser, ...) that the condition
 * selects. The runtime proof on each Node version is scripts/require-smoke.cjs.
 */
async function checkNoTopLevelAwait() {
  const builtins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)]
  const targets = [
    { name: 'node', platform: 'node', conditions: [], imports: ['volley', '@volley/core', '@volley/node', '@volley/redis', '@volley/otel', '@volley/chaos-server'] },
    { name: 'browser', platform: 'browser', conditions: [], imports: ['volley', '@volley/core', '@volley/browser', '@volley/otel'] },
    ...['deno', 'bun', 'worker'].map((condition) => ({ name: condition, platform: 'neutral', conditions: [condition], imports: ['volley'] })),
    { name: 'default', platform: 'neutral', conditions: [], imports: ['volley', '@volley/core'] },
  ]
  for (const target of targets) {
    const contents = target.imports.map((name, i) => `export * as m${i} from '${name}'`).join('\n')
    try {
      const result = await esbuild.build({
        stdin: { contents, resolveDir: ROOT, loader: 'js' },
        bundle: true,
        write: false,
        format: 'cjs',
        platform: target.platform,
        conditions: target.conditions,
        mainFields: target.platform === 'neutral' ? ['module', 'main'] : undefined,
        external: builtins,
        metafile: true,
        logLevel: 'silent',
      })
      const inputs = Object.keys(result.metafile.inputs).length
      report(true, `no top-level await: condition '${target.name}'`, `${target.imports.join(', ')} (${inputs} modules)`)
    } catch (error) {
      const messages = (error.errors ?? [error]).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text ?? e.message}`)
      report(false, `no top-level await: condition '${target.name}'`, `\n${indent(messages.join('\n'))}`)
    }
  }
}

/**
 * One browser bundle of `code` as a user's bundler would make it: minified, gzip level 9, with
 * `process.env.NODE_ENV` defined as a production build (Vite, webpack) or a development build
 * does (docs/DESIGN.md#option-checks).
 */
async function bundle(code, conditions = [], env = 'production') {
  const result = await esbuild.build({
    stdin: { contents: code, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions,
    define: { 'process.env.NODE_ENV': JSON.stringify(env) },
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const output = result.outputFiles[0].contents
  return { minified: output.length, gzip: gzipSync(output, { level: 9 }).length, metafile: result.metafile, text: result.outputFiles[0].text }
}

async function checkSizes() {
  /** Texts only development builds carry (docs/DESIGN.md#option-checks). */
  const DEV_ONLY_TEXTS = ['did you mean', 'a positive number of milliseconds or false', 'needs the progress policy', 'is no longer an option', 'expected an http: or https: URL', 'dot segments may not leave the base path']
  const config = JSON.parse(readFileSync(BUDGET_FILE, 'utf8'))
  const goals = []
  for (const scenario of config.scenarios) {
    const size = await bundle(scenario.code, [], scenario.env)
    const limit = Math.ceil((size.gzip * 1.1) / 100) * 100
    if (UPDATE_BUDGETS) scenario.budget = limit
    const within = size.gzip <= scenario.budget
    report(within, `size: ${scenario.name}`, `${kb(size.gzip)} gzip (${kb(size.minified)} min), budget ${kb(scenario.budget)}${within ? '' : ` — over by ${size.gzip - scenario.budget} B; if intended, run with --update-budgets`}`)
    if (scenario.goal) goals.push({ scenario, size })
    scenario.measured = size
  }
  // A production build must not carry the development-only texts (option-check.ts): had the
  // bundler failed to fold `process.env.NODE_ENV`, the budget alone would not say why.
  // A development build keeps them all (else the texts below are stale and prove nothing).
  for (const scenario of config.scenarios) {
    const production = (scenario.env ?? 'production') === 'production'
    const wrong = DEV_ONLY_TEXTS.filter((text) => scenario.measured.text.includes(text) === production)
    const what = production ? 'drops development messages' : 'keeps development messages'
    report(wrong.length === 0, `${scenario.env ?? 'production'} build ${what}: ${scenario.name}`, wrong.length === 0 ? '' : `${production ? 'found' : 'missing'} ${wrong.map((t) => JSON.stringify(t)).join(', ')}`)
  }
  if (UPDATE_BUDGETS) {
    const saved = { ...config, scenarios: config.scenarios.map(({ measured, ...rest }) => rest) }
    writeFileSync(BUDGET_FILE, `${JSON.stringify(saved, null, 2)}\n`)
    console.log(`    budgets rewritten to measured + ~10% in ${BUDGET_FILE.slice(ROOT.length + 1)}`)
  }
  // Goals are reported, not asserted: the budgets above catch regressions; the goals say how far
  // the current code is from the issue's target.
  for (const { scenario, size } of goals) {
    const met = size.gzip <= scenario.goal
    console.log(`GOAL ${met ? 'MET    ' : 'NOT MET'} ${scenario.name}: ${kb(size.gzip)} gzip vs goal ${kb(scenario.goal)}${met ? '' : ` (${(size.gzip / scenario.goal).toFixed(1)}x the goal, ${kb(size.gzip - scenario.goal)} to cut)`}`)
  }
  // Attribution: the dist bundles are one file per package, so bundle the sources instead
  // (`@volley/source` condition; same esbuild transform, sizes within a few bytes) and list the
  // minified bytes each module contributes. Gzip shares are roughly proportional.
  for (const scenario of config.scenarios.filter((s) => s.goal)) {
    const source = await bundle(scenario.code, ['@volley/source'], scenario.env)
    const inputs = Object.values(source.metafile.outputs)[0].inputs
    const rows = Object.entries(inputs)
      .map(([file, { bytesInOutput }]) => ({ file: file.replace(/^node_modules\//, ''), bytes: bytesInOutput }))
      .filter((row) => row.bytes > 0 && row.file !== '<stdin>')
      .sort((a, b) => b.bytes - a.bytes)
    const total = rows.reduce((sum, row) => sum + row.bytes, 0)
    const byPackage = new Map()
    for (const row of rows) {
      const pkg = row.file.startsWith('packages/') ? `@volley/${row.file.split('/')[1]}` : row.file.split('/').slice(0, row.file.startsWith('@') ? 2 : 1).join('/')
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + row.bytes)
    }
    const share = (bytes) => `${String(bytes).padStart(7)} B ${((bytes / total) * 100).toFixed(1).padStart(5)}%`
    console.log(`    "${scenario.name}" by package (minified bytes; bundled from src: ${kb(source.minified)} min, ${kb(source.gzip)} gzip):`)
    for (const [pkg, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log(`      ${share(bytes)}  ${pkg}`)
    console.log(`    "${scenario.name}" biggest modules:`)
    for (const row of rows.slice(0, 15)) console.log(`      ${share(row.bytes)}  ${row.file}`)
  }
}
