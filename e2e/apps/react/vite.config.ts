import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { fixtureAppConfig } from '../vite-shared.js'

// The React 19 app: a component that loads on mount and aborts on unmount, and a download progress bar.
export default defineConfig(fixtureAppConfig([react()]))
