import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
import { fixtureAppConfig } from '../vite-shared.js'

// The Vue 3 app: the same scenarios as the React app, with composables.
export default defineConfig(fixtureAppConfig([vue()]))
