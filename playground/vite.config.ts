/**
 * The playground's Vite config. Run it with `vite playground` (dev server, chaos server included)
 * or `vite build playground` (static files; the page then asks for a chaos-server URL).
 */
import { defaultClientConditions, defineConfig } from 'vite'
import { chaosPlugin } from './chaos-plugin.js'

export default defineConfig({
  // The config may be loaded from the repository root (`vite --config playground/vite.config.ts`,
  // or `createServer({ configFile })` in the e2e spec): pin the root to this folder either way.
  root: import.meta.dirname,
  plugins: [chaosPlugin()],
  resolve: {
    // `@volley/source` first: the packages resolve to their `src/`, so edits hot-reload here
    // without a build. The defaults keep `browser`, so `volley` picks its browser entry.
    conditions: ['@volley/source', ...defaultClientConditions],
  },
  // The packages' own dependencies, pre-bundled at start-up: discovered later, on the first page
  // load, they would make Vite reload the page mid-run (and break the e2e spec's first run).
  optimizeDeps: { include: ['ofetch', 'eventsource-parser'] },
  clearScreen: false,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
})
