/**
 * What the fixture apps share in their Vite config. Each app imports `volley` by its package
 * name and Vite resolves it as it would in a user's project: through the package's `exports`,
 * with Vite's default client conditions (`browser` among them), to the BUILT
 * `packages/volley/dist/browser.js`. No `@volley/source` condition here: the e2e suite tests what
 * users install, not `src/`.
 */
import type { Plugin, PluginOption, UserConfig } from 'vite'

/** A module of some package's `src/` folder: what the `@volley/source` condition would pick. */
const SOURCE_MODULE = /[\\/]packages[\\/][^\\/]+[\\/]src[\\/]/
/** The browser entry of the built umbrella package. */
const BUILT_BROWSER_ENTRY = /[\\/]packages[\\/]volley[\\/]dist[\\/]browser\.js$/

/**
 * Fails the build when the app got volley from `src/` instead of the built `dist/`, or did not
 * get the browser entry at all (a wrong condition, a stale alias): such a bundle would prove
 * nothing about the package users install.
 */
export function builtVolleyOnly(): Plugin {
  return {
    name: 'volley-e2e:built-volley-only',
    buildEnd(error) {
      if (error) return
      const ids = [...this.getModuleIds()]
      const fromSource = ids.filter((id) => SOURCE_MODULE.test(id))
      if (fromSource.length > 0) {
        this.error(`the e2e apps must import the built volley package (dist/), but the bundle has src/ modules:\n  ${fromSource.join('\n  ')}`)
      }
      if (!ids.some((id) => BUILT_BROWSER_ENTRY.test(id))) {
        this.error("the bundle does not contain packages/volley/dist/browser.js: 'volley' did not resolve through its `browser` export condition")
      }
    },
  }
}

/**
 * Records, in the page, what Playwright reports as page errors (uncaught errors, unhandled
 * rejections) and console errors and warnings, on `window.__volleyPageReports`. Chromium and
 * Firefox report these to Playwright themselves; WebKit is driven over classic WebDriver, which
 * has no events, so the WebKit adapter (e2e/webkit/page.ts) collects this list instead. The script
 * goes first in <head>, before any module of the app runs; it only watches. On a page without it
 * (the playground), the adapter runs it once the page has loaded.
 */
export const PAGE_REPORTS = `(() => {
  if (window.__volleyPageReports) return;
  const reports = (window.__volleyPageReports = []);
  const describe = (value) => value instanceof Error ? { name: value.name, message: value.message } : { name: 'Error', message: String(value) };
  addEventListener('error', (event) => reports.push({ kind: 'pageerror', ...describe(event.error !== undefined ? event.error : event.message) }));
  addEventListener('unhandledrejection', (event) => reports.push({ kind: 'pageerror', ...describe(event.reason) }));
  for (const [method, type] of [['error', 'error'], ['warn', 'warning']]) {
    const original = console[method];
    console[method] = function (...args) {
      reports.push({ kind: 'console', type, text: args.map(String).join(' ') });
      return original.apply(this, args);
    };
  }
})();`

/** Puts {@link PAGE_REPORTS} first in every page of the app. */
export function pageReports(): Plugin {
  return {
    name: 'volley-e2e:page-reports',
    transformIndexHtml: () => [{ tag: 'script', children: PAGE_REPORTS, injectTo: 'head-prepend' }],
  }
}

/**
 * The Vite config of one fixture app: a production build with source maps (readable stack traces
 * in failures), served by `vite preview` on 127.0.0.1 and a free port.
 *
 * @example
 * export default defineConfig(fixtureAppConfig([react()]))
 */
export function fixtureAppConfig(plugins: PluginOption[] = []): UserConfig {
  return {
    plugins: [...plugins, builtVolleyOnly(), pageReports()],
    logLevel: 'warn',
    clearScreen: false,
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      sourcemap: true,
      target: 'es2022',
      reportCompressedSize: false,
      // Fixture apps are one chunk on purpose (MSW's browser bundle alone is ~500 kB): no advice needed.
      chunkSizeWarningLimit: 4096,
      // The apps build at once next to the browsers; slow plugin hooks are expected, not news.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
    preview: { host: '127.0.0.1', port: 0, strictPort: true },
  }
}
