/**
 * The chaos server inside the playground's dev server, twice over:
 *
 * - same origin: the routes mounted as middleware under `/chaos`, so the page needs no CORS;
 * - cross-origin: a real `startChaosServer({ port: 0 })` on 127.0.0.1, so the page can watch
 *   preflights and CORS-exposed headers (Retry-After) at work, as an app calling an API would.
 *
 * The page learns both URLs from the virtual module `virtual:chaos-targets`. A static build
 * (`vite build playground`) has no server: both are `null` and the page asks for a URL.
 */
import type { Plugin } from 'vite'
// The source, not the package: Node loads this config without the `@volley/source` condition and
// would pick `dist/`, which is stale or missing until `npm run build`. The config bundler follows
// this relative import into `src/`, so chaos-server edits apply on the next dev-server start.
import { createChaosHandler, startChaosServer, type ChaosServer } from '../packages/chaos-server/src/index.js'

/** Where the same-origin routes live on the dev server. */
export const CHAOS_BASE_PATH = '/chaos'

const VIRTUAL_ID = 'virtual:chaos-targets'
const RESOLVED_ID = `\0${VIRTUAL_ID}`

/** Mounts the chaos routes and starts the cross-origin chaos server for the dev server's lifetime. */
export function chaosPlugin(): Plugin {
  let crossOrigin: ChaosServer | undefined
  let closing: Promise<void> | undefined

  return {
    name: 'volley-playground:chaos',
    async configureServer(server) {
      // Mounted without a path of its own: the handler needs the `/chaos` prefix in `req.url`, and
      // passes every request outside it on to Vite through `next`.
      const chaos = createChaosHandler({ basePath: CHAOS_BASE_PATH })
      server.middlewares.use(chaos.handle)
      crossOrigin = await startChaosServer({ port: 0 })
      server.config.logger.info(`  chaos: same origin at ${CHAOS_BASE_PATH}, cross-origin at ${crossOrigin.url}`)
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined
      const sameOrigin = crossOrigin ? CHAOS_BASE_PATH : null
      return `export const sameOrigin = ${JSON.stringify(sameOrigin)}\nexport const crossOrigin = ${JSON.stringify(crossOrigin?.url ?? null)}\n`
    },
    // Vite closes the plugin containers (one per environment) when the dev server closes or
    // restarts; the server must go with it, once, so no port stays open behind the page.
    async closeBundle() {
      if (!crossOrigin) return
      closing ??= crossOrigin.close()
      await closing
    },
  }
}
