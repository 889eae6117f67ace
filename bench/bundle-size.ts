/**
 * Browser bundle sizes (issue 7): a tiny entry per library that imports and uses its main API,
 * bundled by esbuild for the browser (minify, tree-shaking, production `NODE_ENV`), then gzipped
 * with zlib level 9. volley is bundled from its BUILT browser entry (`volley` resolves through
 * the `browser` export condition to dist/browser.js). Deterministic, so measured once.
 *
 * volley's plain client is measured twice (issue 22): as a production build bundles it
 * (`process.env.NODE_ENV` defined as "production", as Vite and webpack do: the development-only
 * message texts are dropped) and as a development build does ("development": they are kept).
 */
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { BENCH_DIR } from './lib/paths.js'
import { fmt, type Section } from './lib/report.js'

interface Entry {
  readonly label: string
  readonly code: string
  /** What `process.env.NODE_ENV` is defined as. @default 'production' */
  readonly env?: 'production' | 'development'
}

const URL = 'https://api.example.com/todos/1'
/** The scenarios of issue 22, as scripts/size-budget.json holds them. */
const PLAIN_CLIENT = `import { createClient } from 'volley'\nconst api = createClient({ timeout: { total: 10_000, idle: 5_000 }, retry: 2, onRequest: () => {} })\napi.get('${URL}').then(console.log)`
const REACT_SHARE = `import { createClient, isHTTPError, progress } from 'volley'\nconst api = createClient({ use: [progress()] })\napi.get('${URL}').then(console.log, (error) => console.log(isHTTPError(error)))`
const ENTRIES: readonly Entry[] = [
  { label: 'volley `createClient` (browser entry), production build (goal 11 KB)', code: PLAIN_CLIENT },
  { label: 'volley `createClient` (browser entry), development build (goal 16 KB)', code: PLAIN_CLIENT, env: 'development' },
  { label: "volley, a React app's share: `createClient` + `isHTTPError` + `progress` (goal 14 KB)", code: REACT_SHARE },
  { label: 'volley, every export of the browser entry (goal 26 KB)', code: `export * from 'volley'` },
  { label: 'volley plain get (`volley.get`)', code: `import { volley } from 'volley'\nvolley.get('${URL}').then(console.log)` },
  {
    label: '@volley/core `createClient` (no XHR transport, for information)',
    code: `import { createClient } from '@volley/core'\nconst api = createClient({ timeout: 10_000 })\napi.get('${URL}').then(console.log)`,
  },
  { label: 'ofetch', code: `import { ofetch } from 'ofetch'\nofetch('${URL}').then(console.log)` },
  { label: 'ky', code: `import ky from 'ky'\nky.get('${URL}').json().then(console.log)` },
  { label: 'axios', code: `import axios from 'axios'\naxios.get('${URL}').then((r) => console.log(r.data))` },
  { label: 'wretch', code: `import wretch from 'wretch'\nwretch('${URL}').get().json(console.log)` },
]

export async function bundleBytes(code: string, conditions: string[] = [], env: Entry['env'] = 'production'): Promise<{ min: number; gzip: number; inputs: [string, number][] }> {
  const result = await build({
    stdin: { contents: code, resolveDir: BENCH_DIR, loader: 'ts', sourcefile: 'entry.ts' },
    conditions,
    metafile: true,
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    treeShaking: true,
    define: { 'process.env.NODE_ENV': JSON.stringify(env) },
    logLevel: 'silent',
  })
  const output = result.outputFiles[0]?.contents
  if (!output) throw new Error('esbuild produced no output')
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {}
  const bytesPerInput = Object.entries(inputs).map(([path, input]): [string, number] => [path, input.bytesInOutput])
  return { min: output.byteLength, gzip: gzipSync(output, { level: 9 }).byteLength, inputs: bytesPerInput.sort((a, b) => b[1] - a[1]) }
}

/**
 * Where volley's bytes come from: the same `createClient` entry bundled from `src/` (the
 * `@volley/source` condition) so esbuild can attribute minified bytes to each source file. A
 * diagnostic for whoever trims the bundle, not a measurement of what users get.
 */
async function breakdown(code: string): Promise<string[][]> {
  const { inputs } = await bundleBytes(code, ['@volley/source'])
  const total = inputs.reduce((sum, [, bytes]) => sum + bytes, 0)
  return inputs.slice(0, 15).map(([path, bytes]) => [`\`${path.replace(/^node_modules\//, '')}\``, fmt.bytes(bytes), fmt.pct(bytes / total)])
}

export async function bundleSection(log: (line: string) => void): Promise<Section> {
  const rows: string[][] = []
  for (const entry of ENTRIES) {
    try {
      const { min, gzip } = await bundleBytes(entry.code, [], entry.env)
      rows.push([entry.label, fmt.bytes(min), fmt.bytes(gzip), fmt.kib(gzip)])
      log(`  ${entry.label}: ${fmt.bytes(min)} B min, ${fmt.bytes(gzip)} B min+gzip`)
    } catch (error) {
      rows.push([entry.label, `n/a (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`, '', ''])
    }
  }
  const volleyEntry = ENTRIES[0] as Entry
  const sources = await breakdown(volleyEntry.code).catch((error: unknown) => [[`n/a (${String(error)})`, '', '']])
  return {
    title: 'Browser bundle size (min+gzip)',
    intro: 'esbuild `platform: browser`, ESM, minify + tree-shaking, `process.env.NODE_ENV = "production"` unless the row says development build; gzip level 9. The entries:',
    tables: [
      { headers: ['library', 'min bytes', 'min+gzip bytes', 'min+gzip'], rows },
      { headers: [`where volley \`createClient\`'s minified bytes come from (bundled from src/, top 15)`, 'min bytes', 'share'], rows: sources },
    ],
    notes: ENTRIES.map((e) => `${e.label}: \`${e.code.replaceAll('\n', '; ')}\`${e.env ? ` (NODE_ENV=${e.env})` : ''}`),
    checks: [],
  }
}
