import vue from '@vitejs/plugin-vue'
import { defineConfig, type Plugin } from 'vite'
import { fixtureAppConfig } from '../vite-shared.js'

/** vue-demi's entry (a dependency of @tanstack/vue-query), wherever npm put it. */
const VUE_DEMI_ENTRY = /[\\/]node_modules[\\/]vue-demi[\\/]lib[\\/]index\.mjs$/

/**
 * vue-demi picks its Vue 2 or Vue 3 build in a postinstall script, which npm 11 does not run
 * unless approved. The build it ships by default is the Vue 3 one, so nothing needs fixing; this
 * guard fails the build if a Vue 2 build of vue-demi ever reaches the bundle (a switched install,
 * a hoisted copy from another app), instead of failing later in the browser.
 */
function vueDemiIsVue3(): Plugin {
  let seen = false
  return {
    name: 'volley-e2e:vue-demi-is-vue-3',
    transform(code, id) {
      if (!VUE_DEMI_ENTRY.test(id)) return null
      seen = true
      if (!/\bvar isVue3 = true\b/.test(code)) this.error(`${id} is not vue-demi's Vue 3 build: run \`npx vue-demi-switch 3\` in that package, or reinstall`)
      return null
    },
    buildEnd(error) {
      if (!error && !seen) this.error('vue-demi did not reach the bundle: @tanstack/vue-query no longer imports it, so drop this guard')
    },
  }
}

// The Vue 3 app: the same scenarios as the React app, with composables, and TanStack Query's Vue adapter.
export default defineConfig(fixtureAppConfig([vue(), vueDemiIsVue3()]))
