/**
 * What the Chromium/Firefox run (playwright.config.ts) and the WebKit run
 * (playwright.webkit.config.ts) share: the same specs, global setup, parallelism and bounds.
 */
import type { PlaywrightTestConfig } from '@playwright/test'

/** The suite's settings, with the output folders of the run named `run`. */
export function baseConfig(run: string): PlaywrightTestConfig {
  return {
    testDir: './specs',
    outputDir: `./test-results/${run}`,
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
    reporter: [['list'], ['html', { open: 'never', outputFolder: `./playwright-report/${run}` }]],
  }
}
