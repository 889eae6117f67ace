/**
 * The bench measures the BUILT packages (what users install), so it refuses to run without
 * `dist/` and warns when a package's sources are newer than its build.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './paths.js'

const PACKAGES = { '@volley/core': 'core', '@volley/node': 'node', '@volley/browser': 'browser', volley: 'volley', '@volley/redis': 'redis', '@volley/chaos-server': 'chaos-server' } as const
export type PackageName = keyof typeof PACKAGES

export function isBuilt(name: PackageName): boolean {
  return existsSync(join(ROOT, 'packages', PACKAGES[name], 'dist/index.js'))
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Packages whose `src/` changed after their `dist/index.js` was written. */
export function staleBuilds(): PackageName[] {
  return (Object.keys(PACKAGES) as PackageName[]).filter((name) => {
    const dir = join(ROOT, 'packages', PACKAGES[name])
    if (!isBuilt(name)) return false
    return newestMtime(join(dir, 'src')) > statSync(join(dir, 'dist/index.js')).mtimeMs
  })
}

/** Stops the run with instructions when a package the bench cannot do without is not built. */
export function requireBuilt(names: readonly PackageName[]): void {
  const missing = names.filter((name) => !isBuilt(name))
  if (missing.length === 0) return
  console.error(`bench: ${missing.join(', ')} not built. Run \`npm run build\` first: the bench measures dist/, what users install.`)
  process.exit(1)
}
