import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Plugin } from 'vite'
import { defineConfig } from 'vite'
import { fixtureAppConfig } from '../vite-shared.js'

/**
 * Serves MSW's `mockServiceWorker.js` at the site root, copied from the installed `msw` package
 * when Vite serves (dev) or builds (emitted into dist/ for `vite preview`). Not committed: the
 * worker checks that its version and integrity checksum match the `msw` the page imports, so a
 * copy made from node_modules at build time can never go stale after an upgrade (what
 * `msw init --save` does on install, without a generated file in the repository).
 */
function mockServiceWorker(): Plugin {
  const file = createRequire(import.meta.url).resolve('msw/mockServiceWorker.js')
  return {
    name: 'volley-e2e:msw-worker',
    configureServer(server) {
      server.middlewares.use('/mockServiceWorker.js', (_request, response) => {
        response.setHeader('content-type', 'text/javascript')
        response.end(readFileSync(file))
      })
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'mockServiceWorker.js', source: readFileSync(file, 'utf8') })
    },
  }
}

// The MSW app: volley calls answered by an MSW service worker (setupWorker from msw/browser).
export default defineConfig(fixtureAppConfig([mockServiceWorker()]))
