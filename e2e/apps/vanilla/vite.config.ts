import { defineConfig } from 'vite'
import { fixtureAppConfig } from '../vite-shared.js'

// The vanilla TypeScript app: scenario functions on `window.volleyScenarios`, called by the specs.
export default defineConfig(fixtureAppConfig())
