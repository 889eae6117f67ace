/**
 * volley's end-to-end suite: real Chromium and Firefox (WebDriver BiDi) load Vite-built fixture
 * apps that import the built `volley` package, and talk to the chaos server on another port.
 * Run: `playwright test -c e2e/playwright.config.ts` (after `npm run build`). See e2e/README.md.
 * WebKit runs the same specs from playwright.webkit.config.ts.
 */
import { defineConfig } from '@playwright/test'
import { resolveBrowsers } from './browsers.js'
import { baseConfig } from './config-base.js'

const browsers = resolveBrowsers()

export default defineConfig({
  ...baseConfig('playwright'),
  use: {
    // A screenshot of the fixture app after every scenario, kept in test-results/ as an artifact.
    screenshot: 'on',
    trace: 'off',
    viewport: { width: 1000, height: 700 },
  },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium', launchOptions: browsers.chromium.launchOptions } },
    {
      name: 'firefox',
      use: { browserName: 'firefox', ...(browsers.firefox.channel && { channel: browsers.firefox.channel }), launchOptions: browsers.firefox.launchOptions },
    },
  ],
})
