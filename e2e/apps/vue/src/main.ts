import { QueryClient, VueQueryPlugin } from '@tanstack/vue-query'
import { createApp } from 'vue'
import { queryDefaults } from '../../shared/tanstack.js'
import App from './App.vue'

createApp(App)
  .use(VueQueryPlugin, { queryClient: new QueryClient({ defaultOptions: queryDefaults }) })
  .mount('#app')
document.documentElement.dataset.ready = 'true'
