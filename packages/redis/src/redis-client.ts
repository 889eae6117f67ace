/**
 * The one place that knows the two Redis clients apart: node-redis (`redis`, v4 and later) and
 * ioredis. Everything else talks to a {@link RedisAdapter}: run a Lua script, publish, and open a
 * subscriber connection.
 */
import type { LuaScript } from './lua-script.js'

/**
 * A connected client of `redis` (node-redis) or `ioredis`; typed loosely so neither is required.
 * @example
 * const client: RedisLikeClient = await createClient({ url }).connect() // or new Redis(url)
 */
export type RedisLikeClient = object

/** A subscription on its own connection (a `duplicate()` of the client). */
export interface RedisSubscription {
  /** Unsubscribes and closes the connection. */
  close(): Promise<void>
}

/** What the store and the pool need from a client. */
export interface RedisAdapter {
  /** `'redis'` or `'ioredis'`. */
  readonly kind: 'redis' | 'ioredis'
  /** Runs `script` by `EVALSHA`, loading it with `EVAL` when the server answers `NOSCRIPT`. */
  run(script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown>
  /** Opens a subscriber connection (the client's `duplicate()`) listening on `channel`. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<RedisSubscription>
}

type Fn = (...args: any[]) => any // eslint-disable-line @typescript-eslint/no-explicit-any
type Loose = Record<string, Fn | undefined>

/** True for the `NOSCRIPT` error both clients raise when the server does not have the script cached. */
function isNoScript(error: unknown): boolean {
  return typeof (error as Error | undefined)?.message === 'string' && (error as Error).message.startsWith('NOSCRIPT')
}

/**
 * Wraps a connected node-redis or ioredis client. Detection is by shape: node-redis has
 * `evalSha` and `scriptLoad`, ioredis has `evalsha` and a `status` string.
 */
export function adaptClient(client: unknown): RedisAdapter {
  const c = client as Loose
  if (typeof client === 'object' && client !== null && typeof c.evalSha === 'function' && typeof c.scriptLoad === 'function') {
    return nodeRedisAdapter(c)
  }
  if (typeof client === 'object' && client !== null && typeof c.evalsha === 'function' && typeof (client as { status?: unknown }).status === 'string') {
    return ioredisAdapter(c)
  }
  throw new TypeError(`@volley/redis: client must be a connected client of \`redis\` (createClient) or \`ioredis\` (new Redis), got ${describe(client)}`)
}

function nodeRedisAdapter(c: Loose): RedisAdapter {
  return {
    kind: 'redis',
    async run(script, keys, args) {
      const options = { keys: keys as string[], arguments: args as string[] }
      try {
        return await (c.evalSha as Fn)(script.sha, options)
      } catch (error) {
        if (!isNoScript(error)) throw error
        return (c.eval as Fn)(script.source, options)
      }
    },
    async subscribe(channel, onMessage) {
      const sub = (c.duplicate as Fn)() as Loose & { on: Fn }
      sub.on('error', noop) // the owner's client reports connection errors; calls time out on their own
      await (sub.connect as Fn)()
      await (sub.subscribe as Fn)(channel, (message: string) => onMessage(message))
      return {
        async close() {
          try {
            await (sub.unsubscribe as Fn)(channel)
          } finally {
            await ((sub.close ?? sub.quit) as Fn).call(sub)
          }
        },
      }
    },
  }
}

function ioredisAdapter(c: Loose): RedisAdapter {
  return {
    kind: 'ioredis',
    async run(script, keys, args) {
      try {
        return await (c.evalsha as Fn)(script.sha, keys.length, ...keys, ...args)
      } catch (error) {
        if (!isNoScript(error)) throw error
        return (c.eval as Fn)(script.source, keys.length, ...keys, ...args)
      }
    },
    async subscribe(channel, onMessage) {
      const sub = (c.duplicate as Fn)() as Loose & { on: Fn }
      sub.on('error', noop)
      sub.on('message', (ch: string, message: string) => {
        if (ch === channel) onMessage(message)
      })
      await (sub.subscribe as Fn)(channel)
      return {
        async close() {
          sub.disconnect?.()
        },
      }
    },
  }
}

function noop(): void {}

/** Renders a rejected value for a `TypeError` message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? 'a function' : String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
