import { sendJson } from '../respond.js'
import type { RouteDefinition } from '../router.js'
import { echo, headers, invalidJson, json, status } from './basic.js'
import { bytes } from './bytes.js'
import { cacheable } from './cacheable.js'
import { concurrency } from './concurrency.js'
import { delay, slowHeaders } from './delay.js'
import { drip } from './drip.js'
import { endless } from './endless.js'
import { reset, stall } from './faults.js'
import { file } from './file.js'
import { flap } from './flap.js'
import { flaky } from './flaky.js'
import { graphql } from './graphql.js'
import { ndjson } from './ndjson.js'
import { openapi } from './openapi.js'
import { rateLimited } from './rate-limited.js'
import { redirectChain, redirectCrossOrigin, redirectLoop, redirectTo } from './redirect.js'
import { retryAfter } from './retry-after.js'
import { sse } from './sse.js'
import { tail } from './tail.js'
import { upload } from './upload.js'

const table: RouteDefinition[] = [
  json,
  echo,
  headers,
  status,
  invalidJson,
  delay,
  slowHeaders,
  bytes,
  file,
  drip,
  stall,
  reset,
  flaky,
  flap,
  tail,
  retryAfter,
  rateLimited,
  redirectChain,
  redirectLoop,
  redirectCrossOrigin,
  redirectTo,
  concurrency,
  upload,
  sse,
  ndjson,
  graphql,
  openapi,
  endless,
  cacheable,
]

/** `GET /`: lists the routes, so a person pointing a browser at the server sees what it offers. */
const index: RouteDefinition = {
  name: 'index',
  path: '/',
  methods: ['GET', 'HEAD'],
  handle({ res }) {
    sendJson(res, 200, {
      name: '@volley/chaos-server',
      routes: table.map(({ name, path, methods }) => ({ name, path, methods })),
      introspection: ['GET /__stats?route=&key=', 'POST /__reset'],
    })
  },
}

/** Every route of the chaos server, in match order. */
export const ROUTES: readonly RouteDefinition[] = [index, ...table]
