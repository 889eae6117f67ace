import { describe, expect, it } from 'vitest'
import { needsXhr } from '../src/transport.js'

// Node has no XMLHttpRequest: the browser transport must then fall back to fetch for everything
// (what a service worker sees). The browser-side choices are covered in xhr.dom.test.ts.
describe('needsXhr without XMLHttpRequest', () => {
  it('always answers fetch', () => {
    expect(needsXhr({}, { uploaded: () => {} })).toBe(false)
    expect(needsXhr({ body: new ReadableStream() })).toBe(false)
    expect(needsXhr(undefined)).toBe(false)
  })
})
