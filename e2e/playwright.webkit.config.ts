/**
 * The same specs in WebKit: Debian's WebKitGTK (the WebKit engine Safari is built on) driven by
 * WebKitWebDriver under Xvfb, because Playwright's own WebKit build cannot be downloaded here.
 * `page` is a thin WebDriver-backed stand-in for Playwright's (e2e/webkit/); each worker starts
 * its own Xvfb, driver and session. Run: `playwright test -c e2e/playwright.webkit.config.ts`
 * (after `npm run build`). What differs in WebKit, and why: e2e/README.md, "WebKit".
 */
import { defineConfig } from '@playwright/test'
import { baseConfig } from './config-base.js'
import { ENGINE_ENV } from './env.js'

// Read by global setup and by specs/fixtures.ts in every worker (workers load this config first).
process.env[ENGINE_ENV] = 'webkit'

export default defineConfig({
  ...baseConfig('webkit'),
  // `browserName` is what specs test to tell engines apart (`test.skip(({ browserName }) => ...)`);
  // no Playwright browser is launched: `page` and `context` are replaced (webkit/fixtures.ts).
  projects: [{ name: 'webkit', use: { browserName: 'webkit' } }],
})
