/**
 * Which chaos server the page talks to. On the dev server: the routes mounted on the same origin
 * (`/chaos`: no CORS at all), or the real chaos server on another port (cross-origin: preflights
 * for the Authorization header, and only the CORS-exposed headers, such as Retry-After, visible).
 * A static build has neither and asks for a URL (`npx volley-chaos --port 8080`).
 */
import { crossOrigin, sameOrigin } from 'virtual:chaos-targets'

export type TargetMode = 'same' | 'cross' | 'custom'

export const TARGETS = { sameOrigin, crossOrigin } as const

/** The mode a fresh page starts in. */
export const DEFAULT_TARGET: TargetMode = sameOrigin ? 'same' : 'custom'

/** The chaos server's base URL for `mode`, absolute so the generated code works when pasted. */
export function resolveTarget(mode: string, customUrl: string): { baseURL: string } | { problem: string } {
  if (mode === 'same' && sameOrigin) return { baseURL: new URL(sameOrigin, location.origin).href }
  if (mode === 'cross' && crossOrigin) return { baseURL: crossOrigin }
  const text = customUrl.trim().replace(/\/+$/, '')
  if (text === '') return { problem: 'Enter the URL of a chaos server, e.g. http://127.0.0.1:8080 (start one with: npx volley-chaos --port 8080)' }
  try {
    const url = new URL(text)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `The chaos URL must be http(s), got ${url.protocol}` }
    return { baseURL: url.href.replace(/\/+$/, '') }
  } catch {
    return { problem: `Not a URL: ${text}` }
  }
}
