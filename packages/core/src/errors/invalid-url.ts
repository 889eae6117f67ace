import { redactUrl } from '../observe/redact.js'

/** Bad input fails at once with what was expected, instead of as a retried "network error". */
export function invalidUrl(url: string): TypeError {
  return new TypeError(`volley: invalid URL ${JSON.stringify(redactUrl(url))}: expected an absolute URL, or a path with a baseURL (or a page to resolve it against)`)
}
