import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient } from '@hey-api/openapi-ts'
import openapiTS, { astToString } from 'openapi-typescript'
import { describe, expect, it } from 'vitest'
import { useChaosServer } from '../../../core/test/helpers/chaos.js'

const server = useChaosServer()
const FIXTURES = fileURLToPath(new URL('../fixtures/api/', import.meta.url))

/** The committed clients are what scripts/api-fixtures.mjs generates from the document the server serves now. */
describe('the generated API fixtures', () => {
  it('hold the document the chaos server serves', async () => {
    const served = await (await fetch(`${server().url}/openapi.json`)).json()
    expect(JSON.parse(await readFile(join(FIXTURES, 'openapi.json'), 'utf8'))).toEqual(served)
  })

  it("hold openapi-typescript's types and hey-api's SDK for it, as generated now", async () => {
    const url = `${server().url}/openapi.json`
    const types = await readFile(join(FIXTURES, 'openapi-typescript.ts'), 'utf8')
    expect(types.slice(types.indexOf('\n') + 1)).toBe(astToString(await openapiTS(new URL(url))))
    const out = await mkdtemp(join(tmpdir(), 'volley-hey-api-'))
    try {
      await createClient({ input: url, output: out, plugins: [{ name: '@hey-api/client-fetch', bundle: false, baseUrl: false }, '@hey-api/typescript', '@hey-api/sdk'], logs: { level: 'silent' } })
      const files = (await readdir(out)).sort()
      expect(files).toEqual((await readdir(join(FIXTURES, 'hey-api'))).sort())
      for (const file of files) expect(await readFile(join(out, file), 'utf8'), file).toBe(await readFile(join(FIXTURES, 'hey-api', file), 'utf8'))
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  })
})
