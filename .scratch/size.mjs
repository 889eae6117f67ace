import * as esbuild from 'esbuild'
import { gzipSync } from 'node:zlib'
const root = process.argv[2]
const code = process.argv[3] ?? "import { createClient } from '@volley/browser'\nconst api = createClient({ timeout: { total: 10_000, idle: 5_000 }, retry: 2, onRequest: () => {} })\napi.get('https://api.example.com/todos/1').then(console.log)"
const result = await esbuild.build({
  stdin: { contents: code, resolveDir: '/work/main', loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true, logLevel: 'silent',
  alias: { '@volley/core': `${root}/packages/core/dist/index.js`, '@volley/browser': `${root}/packages/browser/dist/index.js` },
})
const out = result.outputFiles[0].contents
console.log(root, out.length, gzipSync(out, { level: 9 }).length)
const inputs = Object.entries(result.metafile.outputs)[0][1].inputs
if (process.argv[4]) for (const [k, v] of Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 15)) console.log(v.bytesInOutput, k)
