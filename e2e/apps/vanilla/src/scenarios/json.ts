import { createClient, HTTPError, isHTTPError } from 'volley'
import { chaosUrl } from '../../../shared/chaos.js'
import { reportError, type ErrorReport } from '../../../shared/report.js'

/** The chaos server's `GET /json` body. */
export interface JsonBody {
  hello: string
  n: number
  ok: boolean
  list: number[]
  nested: { a: string }
  text: string
}

/** What `/echo` answers: the request as the server received it. */
export interface EchoBody {
  method: string
  query: Record<string, string>
  headers: Record<string, string>
  /** The request body as UTF-8 text. */
  body: string
  bytes: number
}

/** The body of the chaos server's error statuses (`/status/:code`, `/flaky`). */
export interface Problem {
  status: number
  message: string
}

const api = () => createClient({ baseURL: chaosUrl(), timeout: 10_000 })

/** GET a JSON object: typed data, no casts. */
export async function getJson(): Promise<{ data: JsonBody; shout: string; sum: number; status: number | undefined }> {
  const response = await api().raw.get<JsonBody>('/json')
  const data = response.data
  // Typed: these would not compile if `data` were `unknown`.
  const shout = data.hello.toUpperCase()
  const sum = data.list.reduce((a, b) => a + b, 0) + data.n
  return { data, shout, sum, status: response.meta.status }
}

/** POST a plain object: sent as JSON, read back from the server's echo. */
export async function postJson(): Promise<{ method: string; contentType: string | undefined; sent: unknown; bytes: number }> {
  const payload = { name: 'Ada', tags: ['math', 'engines'], nested: { year: 1843 } }
  const echo = await api().post<EchoBody>('/echo', { body: payload })
  return { method: echo.method, contentType: echo.headers['content-type'], sent: JSON.parse(echo.body) as unknown, bytes: echo.bytes }
}

/** `client.safe`: results that never throw, one ok and one not. */
export async function safeResults(): Promise<{
  ok: { ok: boolean; hello: string | undefined; status: number | undefined }
  failed: { ok: boolean; error: ErrorReport | undefined; responseStatus: number | undefined; problem: Problem | undefined }
}> {
  const client = api()
  const good = await client.safe.get<JsonBody>('/json')
  const bad = await client.safe.get<JsonBody, Problem>('/status/404', { retry: false })
  return {
    ok: { ok: good.ok, hello: good.ok ? good.data.hello : undefined, status: good.meta.status },
    failed: {
      ok: bad.ok,
      error: bad.ok ? undefined : reportError(bad.error),
      responseStatus: bad.ok ? undefined : bad.response?.status,
      problem: !bad.ok && isHTTPError<Problem>(bad.error) ? bad.error.data : undefined,
    },
  }
}

/** An error status throws an `HTTPError` whose `data` is the parsed body; 503 is retried first. */
export async function httpErrors(): Promise<{ teapot: ErrorReport & { instanceOf: boolean; typedMessage: string }; unavailable: ErrorReport }> {
  const client = api()
  const teapot = await client.get('/status/418').then(
    () => {
      throw new Error('expected /status/418 to throw')
    },
    (error: unknown) => {
      if (!(error instanceof HTTPError)) throw error
      const typed = error as HTTPError<Problem>
      return { ...reportError(error), instanceOf: true, typedMessage: typed.data.message }
    },
  )
  const unavailable = await client.get('/status/503', { retry: { limit: 1, delay: 10 } }).then(
    () => {
      throw new Error('expected /status/503 to throw')
    },
    reportError,
  )
  return { teapot, unavailable }
}
