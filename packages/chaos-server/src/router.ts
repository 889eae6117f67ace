import type { RouteContext } from './context.js'

/** Any method, HEAD and OPTIONS included. */
export const ANY = 'ANY'

/** One entry of the route table. */
export interface RouteDefinition {
  /** Name recorded in stats and sent as `X-Chaos-Route`. */
  readonly name: string
  /** Path pattern; `:name` segments become `ctx.params.name`, e.g. `/status/:code`. */
  readonly path: string
  /** Accepted methods, or {@link ANY}. Others get 405. */
  readonly methods: readonly string[] | typeof ANY
  readonly handle: (ctx: RouteContext) => void | Promise<void>
}

/** A matched route with its parameters. */
export interface RouteMatch {
  readonly route: RouteDefinition
  readonly params: Record<string, string>
  readonly allowed: boolean
}

interface Compiled {
  readonly route: RouteDefinition
  readonly segments: readonly string[]
}

/** Route lookup by first path segment, then by shape: cheap enough for the bench's hot path. */
export interface Router {
  match(method: string, path: string): RouteMatch | undefined
}

/** Compiles a route table. Literal segments win over `:params` by table order only, so keep literals first. */
export function createRouter(routes: readonly RouteDefinition[]): Router {
  const byHead = new Map<string, Compiled[]>()
  for (const route of routes) {
    const segments = route.path.split('/').slice(1)
    const head = segments[0] ?? ''
    const list = byHead.get(head) ?? []
    list.push({ route, segments })
    byHead.set(head, list)
  }

  return {
    match(method, path) {
      const parts = path.split('/').slice(1)
      const candidates = byHead.get(parts[0] ?? '')
      if (!candidates) return undefined
      for (const { route, segments } of candidates) {
        const params = matchSegments(segments, parts)
        if (!params) continue
        const allowed = route.methods === ANY || route.methods.includes(method)
        return { route, params, allowed }
      }
      return undefined
    },
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string
    const got = parts[i] as string
    if (want.startsWith(':')) {
      if (got === '') return undefined
      params[want.slice(1)] = safeDecode(got)
    } else if (want !== got) {
      return undefined
    }
  }
  return params
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
