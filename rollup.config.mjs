// Builds every publishable package: ESM (esbuild) and one bundled .d.ts (rollup-plugin-dts).
// Externals come from each package.json, so a dependency is never bundled by accident.
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dts } from 'rollup-plugin-dts'
import esbuild from 'rollup-plugin-esbuild'

const PACKAGES = ['core', 'node', 'browser', 'volley', 'redis', 'otel', 'chaos-server']

function externals(dir) {
  const pkg = JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8'))
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
  return (id) => builtins.has(id) || id.startsWith('node:') || names.some((name) => id === name || id.startsWith(`${name}/`))
}

/** Entry points per package: every `src/<name>.ts` named by a `@volley/source` condition -> `dist/<name>.js`. */
function entries(dir) {
  const pkg = JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8'))
  const files = new Set()
  const collect = (target) => {
    if (typeof target === 'string') files.add(target)
    else if (target && typeof target === 'object') Object.values(target).forEach(collect)
  }
  for (const target of Object.values(pkg.exports ?? {})) {
    if (target && typeof target === 'object') collect(target['@volley/source'])
  }
  return Object.fromEntries([...files].map((file) => [file.replace(/^\.\/src\//, '').replace(/\.ts$/, ''), `packages/${dir}/${file.slice(2)}`]))
}

export default PACKAGES.flatMap((dir) => [
  {
    input: entries(dir),
    output: { dir: `packages/${dir}/dist`, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: true },
    external: externals(dir),
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' })],
  },
  {
    input: entries(dir),
    output: { dir: `packages/${dir}/dist`, format: 'esm', entryFileNames: '[name].d.ts', chunkFileNames: '[name]-[hash].d.ts' },
    external: externals(dir),
    plugins: [dts({ tsconfig: 'tsconfig.json', compilerOptions: { customConditions: [] } })],
  },
])
