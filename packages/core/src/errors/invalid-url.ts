import { redactUrl } from '../observe/redact.js'
import { devText } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/** Bad input fails at once with what was expected, instead of as a retried "network error". */
export function invalidUrl(url: string): TypeError {
  return new TypeError(
    `volley: invalid URL ${JSON.stringify(redactUrl(url))}${devText(
      () => process.env.NODE_ENV !== 'production' && ': expected an absolute URL, or a path with a baseURL (or a page to resolve it against)',
    )}`,
  )
}
