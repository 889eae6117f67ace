// Lists import cycles among a package's sources, type-only imports included (docs/DESIGN.md#architecture:
// no cycles, so a reader can follow the pipeline one way). Exits 1 when there is one.
//   node scripts/import-cycles.mjs packages/core/src packages/node/src ...
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g

let cycles = 0
for (const root of process.argv.slice(2)) {
  const graph = new Map()
  for (const file of files(root)) {
    const deps = []
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) deps.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
    graph.set(resolve(file), deps)
  }
  const state = new Map()
  const stack = []
  const seen = new Set()
  const visit = (node) => {
    state.set(node, 1)
    stack.push(node)
    for (const dep of graph.get(node) ?? []) {
      if (!graph.has(dep)) continue
      if (state.get(dep) === 1) {
        const cycle = stack.slice(stack.indexOf(dep)).map((f) => f.slice(resolve(root).length + 1))
        const id = [...cycle].sort().join(' ')
        if (!seen.has(id)) {
          seen.add(id)
          cycles++
          console.log(`${root}: ${[...cycle, cycle[0]].join(' -> ')}`)
        }
      } else if (!state.has(dep)) visit(dep)
    }
    stack.pop()
    state.set(node, 2)
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
}
if (cycles > 0) {
  console.log(`${cycles} import cycle(s)`)
  process.exit(1)
}
console.log('no import cycles')
