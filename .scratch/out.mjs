import * as esbuild from 'esbuild'
const root = process.argv[2]
const code = "import { createClient } from '@volley/browser'\nconst api = createClient({ timeout: { total: 10_000, idle: 5_000 }, retry: 2, onRequest: () => {} })\napi.get('https://api.example.com/todos/1').then(console.log)"
const result = await esbuild.build({ stdin: { contents: code, resolveDir: '/work/main', loader: 'ts' }, bundle: true, minify: false, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
  alias: { '@volley/core': `${root}/packages/core/dist/index.js`, '@volley/browser': `${root}/packages/browser/dist/index.js` } })
process.stdout.write(result.outputFiles[0].text)
