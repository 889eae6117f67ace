import { describe, expect, it } from 'vitest'
import { createClient, volley } from '@volley/browser'
import { BROWSER_NETWORK_FAILURES } from '@volley/core/internal'

describe("@volley/browser's createClient", () => {
  it('classifies with the browser engines\' table, through extend too', () => {
    expect(createClient().defaults.networkFailures).toBe(BROWSER_NETWORK_FAILURES)
    expect(createClient({ retry: 1 }).extend({ retry: 3 }).defaults.networkFailures).toBe(BROWSER_NETWORK_FAILURES)
    expect(volley.defaults.networkFailures).toBe(BROWSER_NETWORK_FAILURES)
  })
})
