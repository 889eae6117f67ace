import { frameworkScenarios } from './framework-scenarios.js'

// The Vue 3 app (e2e/apps/vue): the same scenarios, written as composables.
frameworkScenarios({ app: 'vue', cleanup: 'dispose', lateUpdate: 'state update after dispose' })
