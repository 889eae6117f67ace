import { describe, expectTypeOf, it } from 'vitest'
import { checkOptionNames, progress, validation, type Policy, type Validation } from '@volley/core'

describe('option check types', () => {
  it('checkOptionNames takes an owner, the options, the known names and an optional path', () => {
    expectTypeOf(checkOptionNames).toEqualTypeOf<(owner: string, options: unknown, names: readonly string[], path?: string) => void>()
  })

  it('progress() and validation() take no option', () => {
    expectTypeOf(progress()).toEqualTypeOf<Policy>()
    expectTypeOf(validation({})).toEqualTypeOf<Validation>()
    // @ts-expect-error a call's option given to the policy
    progress({ onDownloadProgress: () => {} })
    // @ts-expect-error a call's option given to the policy
    validation({ schema: {} })
  })
})
