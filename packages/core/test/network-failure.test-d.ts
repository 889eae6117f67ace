import { describe, expectTypeOf, it } from 'vitest'
import { BROWSER_NETWORK_FAILURES, NETWORK_FAILURES, clientFactory, isNetworkFailure, type AttemptContext, type Client, type ClientPlatform, type NetworkError, type NetworkFailureTable, type ResolvedOptions, type VolleyOptions } from '@volley/core'
import { transportFailure } from '@volley/core/internal'

describe('classification per platform: types', () => {
  it('tables are NetworkFailureTables; a platform client factory makes createClient', () => {
    expectTypeOf(NETWORK_FAILURES).toEqualTypeOf<NetworkFailureTable>()
    expectTypeOf(BROWSER_NETWORK_FAILURES).toEqualTypeOf<NetworkFailureTable>()
    expectTypeOf(clientFactory).parameter(0).toEqualTypeOf<ClientPlatform>()
    expectTypeOf(clientFactory({ networkFailures: BROWSER_NETWORK_FAILURES })).toEqualTypeOf<(options?: VolleyOptions) => Client>()
    expectTypeOf<ResolvedOptions['networkFailures']>().toEqualTypeOf<NetworkFailureTable>()
    expectTypeOf<AttemptContext['call']>().toEqualTypeOf<object>()
  })

  it('the classifiers take an optional table', () => {
    expectTypeOf(isNetworkFailure).toBeCallableWith(new Error('x'))
    expectTypeOf(isNetworkFailure).toBeCallableWith(new Error('x'), BROWSER_NETWORK_FAILURES)
    expectTypeOf(transportFailure(new Error('x'), { method: 'GET', url: '/' }, BROWSER_NETWORK_FAILURES)).toEqualTypeOf<NetworkError | TypeError>()
    // @ts-expect-error: a table is an object of sets, not a list of messages
    clientFactory({ networkFailures: ['Failed to fetch'] })
  })
})
