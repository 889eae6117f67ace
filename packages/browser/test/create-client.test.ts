import { describe, expect, it } from 'vitest'
import { BROWSER_NETWORK_FAILURES, createClient, volley } from '@volley/browser'

describe("@volley/browser's createClient", () => {
  it('classifies with the browser engines\' table, through extend too', () => {
    expect(createClient().defaults.networkFailures).toBe(BROWSER_NETWORK_FAILURES)
    expect(createClient({ retry: 1 }).extend({ retry: 3 }).defaults.networkFailures).toBe(BROWSER_NETWORK_FAILURES)
    expect(volley.defaults.networkFailures).toBe(BROWSER_NETWORK_FAILURES)
  })
})
