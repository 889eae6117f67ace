import { expect, test } from './fixtures.js'

test.describe('JSON and typed results', () => {
  test('gets JSON with a typed result', async ({ vanilla }) => {
    const result = await vanilla.run('getJson')
    expect(result.status).toBe(200)
    expect(result.data).toEqual({ hello: 'world', n: 1, ok: true, list: [1, 2, 3], nested: { a: 'b' }, text: 'volley chaos' })
    expect(result.shout).toBe('WORLD')
    expect(result.sum).toBe(7)
  })

  test('posts a plain object as JSON', async ({ vanilla }) => {
    const result = await vanilla.run('postJson')
    expect(result.method).toBe('POST')
    expect(result.contentType).toMatch(/^application\/json/)
    expect(result.sent).toEqual({ name: 'Ada', tags: ['math', 'engines'], nested: { year: 1843 } })
  })

  test('safe results never throw: ok with data, or not ok with the HTTPError', async ({ vanilla }) => {
    const { ok, failed } = await vanilla.run('safeResults')
    expect(ok).toEqual({ ok: true, hello: 'world', status: 200 })
    expect(failed.ok).toBe(false)
    expect(failed.responseStatus).toBe(404)
    expect(failed.error).toMatchObject({ code: 'ERR_HTTP', isHTTPError: true, status: 404 })
    expect(failed.problem).toMatchObject({ status: 404 })
  })

  test('an error status throws an HTTPError with the parsed body, after retrying a 503', async ({ vanilla }) => {
    const { teapot, unavailable } = await vanilla.run('httpErrors')
    expect(teapot).toMatchObject({ instanceOf: true, code: 'ERR_HTTP', status: 418, attempts: 1, data: { status: 418 } })
    expect(teapot.typedMessage).toBe((teapot.data as { message: string }).message)
    expect(teapot.message).toContain('/status/418')
    expect(unavailable).toMatchObject({ code: 'ERR_HTTP', status: 503, attempts: 2, previous: ['ERR_HTTP'], data: { status: 503 } })
  })

  test('error names survive a minified production build', async ({ vanilla }) => {
    // Each error class names itself with a literal; the minifier renames classes.
    const { failed } = await vanilla.run('safeResults')
    expect(failed.error?.name).toBe('HTTPError')
  })
})
