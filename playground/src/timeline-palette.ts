/**
 * The timeline's colours. They live in CSS custom properties (style.css), so the legend, the
 * canvas and the dark theme share one definition; the canvas reads them once per theme.
 */
import type { Outcome } from './timeline-model.js'

export type Phase = 'queued' | 'token' | 'flight' | 'retry' | 'offline'

/** The policies' marks: a hedge, a refused retry, a breaker open or half-open, a cache hit, a 304, a stale answer. */
export type Mark = 'hedge' | 'refused' | 'open' | 'halfOpen' | 'cacheHit' | 'revalidated' | 'stale'

export type Palette = Record<Phase | Outcome | Mark | 'grid' | 'text' | 'now' | 'highlight' | 'tick', string>

/** Every palette entry, each read from its `--tl-<name>` custom property. */
export const NAMES: readonly (keyof Palette)[] = ['queued', 'token', 'flight', 'retry', 'offline', 'ok', 'http', 'timeout', 'network', 'aborted', 'validation', 'other', 'hedge', 'refused', 'open', 'halfOpen', 'cacheHit', 'revalidated', 'stale', 'grid', 'text', 'now', 'highlight', 'tick']

/** Reads `--tl-<name>` from `element`'s computed style. */
export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element)
  const palette = {} as Palette
  for (const name of NAMES) palette[name] = style.getPropertyValue(`--tl-${name}`).trim() || '#888'
  return palette
}

/** Palette entries that colour the page, not a request: they need no legend entry. */
export const UNLABELLED: readonly (keyof Palette)[] = ['grid', 'text', 'now', 'highlight']

/**
 * The legend, in the order a request lives through its phases: every colour the rows are drawn
 * in has an entry (a test checks it against the palette), the near-black ones included.
 */
export const LEGEND: readonly { key: Phase | Outcome | Mark | 'tick'; label: string }[] = [
  { key: 'queued', label: 'waiting for a slot' },
  { key: 'token', label: 'waiting for a token' },
  { key: 'flight', label: 'in flight' },
  { key: 'retry', label: 'retry wait' },
  { key: 'ok', label: 'ok' },
  { key: 'http', label: 'HTTP error' },
  { key: 'timeout', label: 'timeout' },
  { key: 'network', label: 'network error' },
  { key: 'aborted', label: 'aborted' },
  { key: 'validation', label: 'validation failed' },
  { key: 'other', label: 'other error (not recognised, not retried)' },
  { key: 'tick', label: 'attempt starts' },
  { key: 'hedge', label: 'hedge sent' },
  { key: 'refused', label: 'retry refused (budget)' },
  { key: 'offline', label: 'waiting for the network' },
  { key: 'open', label: 'breaker open' },
  { key: 'halfOpen', label: 'breaker half-open' },
  { key: 'cacheHit', label: 'cache hit (nothing sent)' },
  { key: 'revalidated', label: 'revalidated (304)' },
  { key: 'stale', label: 'served stale' },
]
