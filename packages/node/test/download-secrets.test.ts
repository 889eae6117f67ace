import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient, download } from '@volley/node'
import { ALL_SECRETS, SECRET_VALUES, secretsIn, type Echo } from '../../core/test/helpers/hostile-suite.js'
import { useChaosServer } from './helpers/servers.js'

const server = useChaosServer()
const dir = mkdtempSync(join(tmpdir(), 'volley-download-secrets-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('download() keeps a client\'s secrets with its origin', () => {
  it('sends the client secrets to its baseURL origin only, and headers given to download() anywhere', async () => {
    const api = createClient({ baseURL: server().altUrl, headers: SECRET_VALUES, retry: false })
    const elsewhere = join(dir, 'elsewhere.json')
    await download(`${server().url}/echo`, elsewhere, { client: api, checksum: false })
    expect(secretsIn(JSON.parse(readFileSync(elsewhere, 'utf8')) as Echo)).toEqual([])

    const own = join(dir, 'own.json')
    await download(`${server().altUrl}/echo`, own, { client: api, checksum: false })
    expect(secretsIn(JSON.parse(readFileSync(own, 'utf8')) as Echo)).toEqual(ALL_SECRETS)

    const given = join(dir, 'given.json')
    await download(`${server().url}/echo`, given, { client: api, checksum: false, headers: { authorization: 'Bearer for-this-file' } })
    expect(secretsIn(JSON.parse(readFileSync(given, 'utf8')) as Echo)).toEqual(['authorization'])
    await api.close()
  })
})
