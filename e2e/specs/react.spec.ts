import { frameworkScenarios } from './framework-scenarios.js'

// The React 19 app (e2e/apps/react): a component that loads on mount, and a download progress bar.
frameworkScenarios({ app: 'react', cleanup: 'cleanup', lateUpdate: 'state update after cleanup' })
