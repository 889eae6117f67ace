import { createHash } from 'node:crypto'

/** A Lua script with its SHA-1, so it runs by `EVALSHA` and is sent in full only once per server. */
export interface LuaScript {
  readonly source: string
  readonly sha: string
}

/** Makes a {@link LuaScript}; the SHA-1 is the one Redis computes for `SCRIPT LOAD`. */
export function luaScript(source: string): LuaScript {
  return Object.freeze({ source, sha: createHash('sha1').update(source).digest('hex') })
}

/**
 * The Redis server's clock in ms with µs precision, from `TIME`. Every script reads time here and
 * nowhere else, so processes whose clocks disagree still share one budget.
 */
export const SERVER_NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`
