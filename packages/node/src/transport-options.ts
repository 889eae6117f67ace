import { checkOptionNames, systemClock, type Clock, type Logger } from '@volley/core'
import { missingClockMethod } from '@volley/core/internal'
import type { Dispatcher, buildConnector } from 'undici'

/**
 * TLS settings for the connections the transport opens (passed to undici's connector, then to `tls.connect`).
 *
 * @example
 * createNodeTransport({ tls: { ca: readFileSync('company-root.pem'), cert: readFileSync('client.pem'), key: readFileSync('client-key.pem') } })
 */
export interface NodeTlsOptions {
  /** Trusted CA certificates (PEM), e.g. a company root or a test CA. Replaces Node's default list, as in `tls.connect`. @default Node's bundled CA list */
  ca?: string | Buffer | (string | Buffer)[]
  /** Client certificate chain (PEM) for mutual TLS. @default undefined */
  cert?: string | Buffer | (string | Buffer)[]
  /** Private key (PEM) of the client certificate. @default undefined */
  key?: string | Buffer | (string | Buffer)[]
  /**
   * Verify the server's certificate. `false` accepts any certificate, which exposes every request
   * to interception: the transport logs one warning when it is created with it.
   * @default true
   */
  rejectUnauthorized?: boolean
  /** Server name for SNI and certificate checks, when it differs from the URL's host. @default the URL's host */
  servername?: string
}

/**
 * Options of {@link createNodeTransport}.
 *
 * @example
 * const transport = createNodeTransport({ connections: 16, proxy: 'http://proxy.internal:3128', tls: { ca: readFileSync('ca.pem') } })
 */
export interface NodeTransportOptions {
  /**
   * Most sockets open at once per origin. No cap by default, like Node's global `fetch`: volley's
   * pool (`concurrency`, `perOrigin`) is the place to cap requests, because it is observable
   * (stats, priorities, the `queue` timeout) where undici's internal queue is not.
   * @default undefined (no cap)
   */
  connections?: number
  /** How long an idle keep-alive socket is kept, in ms (a server's shorter `Keep-Alive: timeout` wins). @default 4_000 */
  keepAliveTimeout?: number
  /** Requests sent on one socket before the first response arrived (HTTP/1.1 pipelining; 1 turns it off). @default 1 */
  pipelining?: number
  /** Negotiate HTTP/2 over TLS (ALPN) when the server offers it. @default false */
  allowH2?: boolean
  /**
   * Longest time to open a connection (DNS, TCP and TLS), in ms; `false` waits forever. Expiry
   * fails the request with `TimeoutError` (phase `'connect'`), which volley retries. A call's
   * shorter `timeout.connect` also applies to that call.
   * @default 10_000
   */
  connectTimeout?: number | false
  /**
   * Proxy URL for every request (`http://user:pass@proxy:3128`; HTTPS targets are tunnelled with
   * CONNECT), or `false` for none. When not given, `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` (or
   * their lower-case forms) are honoured if any of them is set when the first request is sent.
   * @default undefined (from the environment)
   */
  proxy?: string | URL | false
  /** TLS settings: extra CAs, a client certificate, SNI name, or (explicitly, with a warning) no verification. @default undefined (Node's defaults) */
  tls?: NodeTlsOptions
  /** Most redirects followed per request before it fails, as fetch does (it uses 20). @default 20 */
  maxRedirects?: number
  /**
   * Bring your own undici dispatcher (an `Agent`, `Pool`, `ProxyAgent`, a `MockAgent`...). The
   * transport then uses it as is: `connections`, `keepAliveTimeout`, `pipelining`, `allowH2`,
   * `proxy` and `tls` are ignored, and `close()` leaves it open.
   * @default undefined (the transport creates and owns an `Agent`)
   */
  dispatcher?: Dispatcher
  /**
   * Replace how sockets are opened (advanced: Unix sockets, custom DNS, tests); undici's
   * `connect` function. `connectTimeout` still applies.
   * @default undefined (undici's connector with `tls`)
   */
  connect?: buildConnector.connector
  /** Where the transport reports what must never pass silently (e.g. `rejectUnauthorized: false`). @default consoleLogger */
  logger?: Logger
  /**
   * The time source of the transport's own timers and readings: the connect deadline of a custom
   * `connect`, a call's shorter `timeout.connect`, and the connection timings in `meta.timings`.
   * `createClient` gives the transport it builds the client's `clock`; give a transport you build
   * yourself the same clock as its client (tests pass `createManualClock()`).
   * @default systemClock
   */
  clock?: Clock
}

/** {@link NodeTransportOptions} validated, with every default filled in. */
export interface ResolvedTransportOptions {
  readonly connections: number | undefined
  readonly keepAliveTimeout: number
  readonly pipelining: number
  readonly allowH2: boolean
  readonly connectTimeout: number | undefined
  readonly proxy: string | false | undefined
  readonly tls: NodeTlsOptions | undefined
  readonly maxRedirects: number
  readonly dispatcher: Dispatcher | undefined
  readonly connect: buildConnector.connector | undefined
  readonly clock: Clock
}

/** Every option of createNodeTransport. */
const TRANSPORT_OPTIONS = ['connections', 'keepAliveTimeout', 'pipelining', 'allowH2', 'connectTimeout', 'proxy', 'tls', 'maxRedirects', 'dispatcher', 'connect', 'logger', 'clock']

function invalid(option: string, expected: string, given: unknown): TypeError {
  const shown = typeof given === 'string' ? JSON.stringify(given) : given === null ? 'null' : typeof given === 'object' ? typeof given : String(given)
  return new TypeError(`volley: \`${option}\` must be ${expected}, got ${shown}`)
}

function integer(option: string, value: unknown, fallback: number | undefined, min: number): number | undefined {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalid(option, `an integer >= ${min}`, value)
  return value
}

/**
 * Validates `options` once, at `createNodeTransport()`, with errors that say what was expected
 * and what was given (docs/DESIGN.md#conventions: options resolved once).
 */
export function resolveTransportOptions(options: NodeTransportOptions): ResolvedTransportOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'an object', options)
  checkOptionNames('createNodeTransport()', options, TRANSPORT_OPTIONS)
  checkOptionNames('createNodeTransport()', options.tls, ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername'], 'tls.')
  const { connectTimeout, proxy, tls, dispatcher, connect, allowH2 } = options
  if (connectTimeout !== undefined && connectTimeout !== false && !(typeof connectTimeout === 'number' && connectTimeout > 0)) {
    throw invalid('connectTimeout', 'a positive number of milliseconds or false', connectTimeout)
  }
  let proxyUrl: string | false | undefined
  if (proxy === false || proxy === undefined) proxyUrl = proxy
  else {
    const text = String(proxy)
    if (!URL.canParse(text)) throw invalid('proxy', 'an absolute proxy URL or false', proxy)
    proxyUrl = text
  }
  if (tls !== undefined && (typeof tls !== 'object' || tls === null)) throw invalid('tls', 'an object', tls)
  if (tls?.rejectUnauthorized !== undefined && typeof tls.rejectUnauthorized !== 'boolean') {
    throw invalid('tls.rejectUnauthorized', 'a boolean', tls.rejectUnauthorized)
  }
  if (dispatcher !== undefined && typeof dispatcher?.dispatch !== 'function') throw invalid('dispatcher', 'an undici Dispatcher', dispatcher)
  if (connect !== undefined && typeof connect !== 'function') throw invalid('connect', 'a function (options, callback)', connect)
  if (allowH2 !== undefined && typeof allowH2 !== 'boolean') throw invalid('allowH2', 'a boolean', allowH2)
  const clock = options.clock === undefined ? systemClock : options.clock
  if (typeof clock !== 'object' || clock === null) throw invalid('clock', 'a Clock ({ now, setTimeout, clearTimeout })', clock)
  const missing = missingClockMethod(clock)
  if (missing) throw invalid(`clock.${missing}`, 'a function', clock[missing])
  return Object.freeze({
    connections: integer('connections', options.connections, undefined, 1),
    keepAliveTimeout: integer('keepAliveTimeout', options.keepAliveTimeout, 4_000, 1)!,
    pipelining: integer('pipelining', options.pipelining, 1, 0)!,
    allowH2: allowH2 ?? false,
    connectTimeout: connectTimeout === false ? undefined : (connectTimeout ?? 10_000),
    proxy: proxyUrl,
    tls,
    maxRedirects: integer('maxRedirects', options.maxRedirects, 20, 0)!,
    dispatcher,
    connect,
    clock,
  })
}
