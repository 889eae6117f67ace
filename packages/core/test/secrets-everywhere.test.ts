import { Console } from 'node:console'
import { Writable } from 'node:stream'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { logEvents, createMetrics, createClient, redactText, type Client, type Logger, type VolleyEvent, type VolleyOptions } from '@volley/core'
import { createClient as createNodeClient } from '@volley/node'
import { closedPort, useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

/** One unique secret per place it is planted, so a leak names its source. */
const tag = Math.random().toString(36).slice(2, 10)
const SECRETS = {
  authorization: `auth-${tag}-AAAA`,
  apiKey: `apikey-${tag}-BBBB`,
  cookie: `cookie-${tag}-CCCC`,
  userinfo: `pass-${tag}-DDDD`,
  token: `token-${tag}-EEEE`,
  accessToken: `access-${tag}-FFFF`,
  signature: `sig-${tag}-GGGG`,
} as const

/** Every way a user (or a framework) might print what volley hands back. */
function representations(value: unknown): string[] {
  const out: string[] = [
    inspect(value),
    inspect(value, { depth: Infinity, showHidden: true }),
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    safeJson(value),
    String(value),
  ]
  let captured = ''
  const sink = new Writable({
    write(chunk, _encoding, done) {
      captured += String(chunk)
      done()
    },
  })
  const console = new Console({ stdout: sink, stderr: sink })
  console.log(value)
  console.error('failed:', value)
  console.dir(value, { depth: Infinity, showHidden: true })
  out.push(captured)
  // Walk what is reachable by property access: stack, cause chain, earlier attempts, response.
  const seen = new Set<unknown>()
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null || seen.has(node) || depth > 6) return
    seen.add(node)
    const record = node as Record<string, unknown>
    if (node instanceof Error) out.push(String(node.stack), node.message, String(node))
    for (const key of ['cause', 'response', 'request', 'previous', 'meta', 'data', 'headers', 'options']) {
      let child: unknown
      try {
        child = record[key]
      } catch {
        continue
      }
      if (child === undefined) continue
      out.push(inspect(child, { depth: Infinity, showHidden: true }), safeJson(child))
      if (child instanceof Response) out.push(child.url, JSON.stringify([...child.headers]))
      if (Array.isArray(child)) child.forEach((item) => walk(item, depth + 1))
      else walk(child, depth + 1)
    }
  }
  walk(value, 0)
  return out
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch (error) {
    return String(error)
  }
}

function expectNoSecret(texts: readonly string[], label: string): void {
  for (const text of texts) {
    for (const [place, secret] of Object.entries(SECRETS)) {
      if (text.includes(secret)) throw new Error(`${label}: the ${place} secret leaked in:\n${text.slice(0, 2000)}`)
    }
  }
}

type Factory = (options: VolleyOptions) => Client

const entries: [string, Factory][] = [
  ['core over fetch', createClient],
  ['@volley/node (undici)', createNodeClient],
]

describe.each(entries)('no planted secret surfaces anywhere (%s)', (_name, create) => {
  it('across success, HTTP error, timeout, network error, parse error and credentials in the URL', async () => {
    const lines: string[] = []
    const record = (level: string) => (message: string, data?: Record<string, unknown>) => lines.push(`${level} ${message} ${inspect(data ?? {}, { depth: Infinity })}`)
    const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }
    const events: VolleyEvent[] = []
    const log = logEvents(logger)
    const api = create({
      baseURL: server().url,
      headers: { authorization: `Bearer ${SECRETS.authorization}`, 'x-api-key': SECRETS.apiKey, cookie: `session=${SECRETS.cookie}` },
      query: { access_token: SECRETS.accessToken },
      retry: { limit: 1, delay: 1 },
      metrics: createMetrics(),
      onEvent: (event) => {
        events.push(event)
        log(event)
      },
    })
    const refused = `http://127.0.0.1:${await closedPort()}`
    const host = new URL(server().url).host
    const targets = [
      `/json?token=${SECRETS.token}`, // success
      `/status/500?api_key=${SECRETS.token}&signature=${SECRETS.signature}`, // HTTP error, retried
      `/invalid-json?token=${SECRETS.token}`, // parse error
      `${refused}/gone?token=${SECRETS.token}`, // network error, retried
      `http://ada:${SECRETS.userinfo}@${host}/json?token=${SECRETS.token}`, // userinfo
    ]
    const results = []
    for (const target of targets) results.push(await api.safe.get(target))
    results.push(await api.safe.get(`/stall?token=${SECRETS.token}`, { timeout: { total: 2_000, attempt: 100 }, retry: 0 })) // timeout

    expect(results.map((r) => r.ok)).toEqual([true, false, false, false, expect.any(Boolean), false])
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code))
    expect(codes[1]).toBe('ERR_HTTP')
    expect(codes[2]).toBe('ERR_PARSE')
    expect(codes[3]).toBe('ERR_NETWORK')
    expect(codes[5]).toBe('ERR_TIMEOUT')

    for (const [index, result] of results.entries()) {
      const label = `target ${index}`
      if (result.ok) expectNoSecret([...representations(result.meta)], `${label} meta`)
      else {
        expectNoSecret(representations(result.error), `${label} error`)
        expectNoSecret(representations(result.meta), `${label} meta`)
      }
    }
    // The thrown (not safe-wrapped) errors too: non-volley TypeErrors included.
    for (const target of targets.slice(1)) {
      const thrown = await api.get(target).catch((error: unknown) => error)
      expectNoSecret(representations(thrown), `thrown for ${target.slice(0, 20)}`)
    }

    expect(lines.length).toBeGreaterThan(5)
    expect(events.length).toBeGreaterThan(10)
    expectNoSecret(lines, 'logger')
    expectNoSecret(events.map((event) => inspect(event, { depth: Infinity, showHidden: true })), 'events')
    expectNoSecret([JSON.stringify(api.metrics!.snapshot()), inspect(api.metrics!.snapshot(), { depth: Infinity, showHidden: true })], 'metrics')
    await api.close()
  })
})

describe('redactText', () => {
  it('keeps the punctuation around a URL and is idempotent', () => {
    const once = redactText('GET https://h.test/a?token=abc: failed, see https://h.test/b?key=1.')
    expect(once).toBe('GET https://h.test/a?token=[REDACTED]: failed, see https://h.test/b?key=[REDACTED].')
    expect(redactText(once)).toBe(once)
  })
})
