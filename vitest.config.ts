import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Tests run the packages' `src/` directly through the `@volley/source` export condition (docs/DESIGN.md#runtimes-and-packaging).
export default defineConfig({
  resolve: { conditions: ['@volley/source', ...defaultClientConditions] },
  // Without Vite's `module` condition on the server: packages that answer it with ESM builds for
  // bundlers (OpenTelemetry's, whose imports have no extensions) cannot run in Node as Vitest loads them.
  ssr: { resolve: { conditions: ['@volley/source', ...defaultServerConditions.filter((condition) => condition !== 'module')] } },
  test: {
    // Real servers on 127.0.0.1; generous but bounded so a hung request fails instead of stalling CI.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['packages/*/test/**/*.test.ts', 'playground/test/**/*.test.ts'],
          exclude: ['packages/*/test/**/*.dom.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          // happy-dom is for DOM glue only; it replaces fetch, so real browser behaviour lives in e2e/.
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { settings: { fetch: { disableSameOriginPolicy: true } } } },
          include: ['packages/*/test/**/*.dom.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
    ],
  },
})
