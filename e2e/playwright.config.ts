/**
 * volley's end-to-end suite: real Chromium and Firefox (WebDriver BiDi) load Vite-built fixture
 * apps that import the built `volley` package, and talk to the chaos server on another port.
 * Run: `playwright test -c e2e/playwright.config.ts` (after `npm run build`). See e2e/README.md.
 */
import { defineConfig } from '@playwright/test'
import { resolveBrowsers } from './browsers.js'

const browsers = resolveBrowsers()

export default defineConfig({
  testDir: './specs',
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  // Every spec uses its own chaos-server keys, so tests are independent; CI has 2 cores.
  fullyParallel: true,
  workers: 2,
  // Flakiness is fixed, not retried.
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Generous bounds, so a starved 2-core CI machine fails on a real problem, not on load.
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: './playwright-report' }]],
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
