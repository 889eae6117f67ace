import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { fixtureAppConfig } from '../vite-shared.js'

// The React 19 app: a component that loads on mount and aborts on unmount, a download progress bar, and TanStack Query.
export default defineConfig(fixtureAppConfig([react()]))
