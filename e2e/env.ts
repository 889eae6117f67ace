/** The fixture apps under `apps/`, each built by Vite and served by `vite preview`. */
export const APPS = ['vanilla', 'react', 'vue', 'msw'] as const
export type AppName = (typeof APPS)[number]

/**
 * Set to `webkit` by playwright.webkit.config.ts: the specs then run in WebKit over WebDriver
 * (e2e/webkit/). Read when the spec files load, in the runner and in every worker (each loads the
 * config first).
 */
export const ENGINE_ENV = 'VOLLEY_E2E_ENGINE'

/** Whether this process runs the WebKit suite. */
export function isWebKitRun(): boolean {
  return process.env[ENGINE_ENV] === 'webkit'
}

/**
 * Environment variables through which global setup hands the servers' URLs to the specs (Playwright
 * workers inherit the runner's environment).
 */
export const ENV = {
  chaos: 'VOLLEY_E2E_CHAOS_URL',
  app: { vanilla: 'VOLLEY_E2E_VANILLA_URL', react: 'VOLLEY_E2E_REACT_URL', vue: 'VOLLEY_E2E_VUE_URL', msw: 'VOLLEY_E2E_MSW_URL' },
} as const satisfies { chaos: string; app: Record<AppName, string> }

/** A URL global setup published, or an error that says how the spec was started wrongly. */
export function serverUrl(name: string): string {
  const url = process.env[name]
  if (!url) throw new Error(`volley e2e: ${name} is not set; run the suite with \`playwright test -c e2e/playwright.config.ts\` so that e2e/global-setup.ts runs first`)
  return url
}
