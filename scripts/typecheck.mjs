// Type-checks the whole repository, then the core alone without Node's types (proving that
// @volley/core uses no Node global: docs/DESIGN.md#architecture: core is isomorphic), then the playground (which
// needs vite/client types).
import { spawnSync } from 'node:child_process'

const tsc = 'node_modules/.bin/tsc'
const runs = [
  ['-p', 'tsconfig.json'],
  ['-p', 'packages/core/tsconfig.json'],
  // @volley/otel runs in browsers too: no Node global either.
  ['-p', 'packages/otel/tsconfig.json'],
  ['-p', 'playground/tsconfig.json'],
  // The e2e apps are checked against volley's built .d.ts (browser condition): run after `npm run build`.
  ['-p', 'e2e/tsconfig.json'],
  ['-p', 'e2e/apps/tsconfig.json'],
]
for (const args of runs) {
  const { status } = spawnSync(tsc, args, { stdio: 'inherit' })
  if (status !== 0) process.exit(status ?? 1)
}
console.log('typecheck: ok')
