import { sendJson } from '../respond.js'
import type { RouteDefinition } from '../router.js'

const problem = { $ref: '#/components/schemas/Problem' }
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } })
const key = { name: 'key', in: 'query', description: 'Separates the counters of parallel tests.', schema: { type: 'string' } }
const int = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'integer' } })

/**
 * An OpenAPI 3.1 description of some of the server's routes: what generated SDKs (openapi-fetch's
 * types from openapi-typescript, hey-api's SDK) are built from in volley's tests of `client.fetch`.
 * Describes only what the routes answer; the server does not validate against it.
 */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: { title: '@volley/chaos-server', version: '1.0.0', description: 'Some routes of the chaos server, for tests of generated clients.' },
  // Where the command line serves by default; tests pass their own port's URL to the client.
  servers: [{ url: 'http://127.0.0.1:8080' }],
  paths: {
    '/json': {
      get: { operationId: 'getJson', summary: 'A small fixed JSON object', responses: { '200': { description: 'The object', ...json({ $ref: '#/components/schemas/Greeting' }) } } },
    },
    '/flaky': {
      get: {
        operationId: 'getFlaky',
        summary: 'Fails the first `fail` calls per key with `status`, then answers 200',
        parameters: [key, int('fail', 'Calls that fail first.'), int('status', 'The failing status.'), { name: 'retryAfter', in: 'query', description: 'Sent as Retry-After on failures.', schema: { type: 'string' } }],
        responses: { '200': { description: 'Success after the failures', ...json({ $ref: '#/components/schemas/Flaky' }) }, default: { description: 'A failure', ...json(problem) } },
      },
    },
    '/concurrency': {
      get: {
        operationId: 'getConcurrency',
        summary: 'Holds each request `ms`, counting how many are held at once per key',
        parameters: [key, int('ms', 'How long to hold the request.')],
        responses: { '200': { description: 'Requests held at arrival, and the most so far', ...json({ $ref: '#/components/schemas/Concurrency' }) } },
      },
    },
    '/status/{code}': {
      get: {
        operationId: 'getStatus',
        summary: 'Answers that status',
        parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'integer', minimum: 200, maximum: 599 } }],
        responses: { '200': { description: 'The status', ...json(problem) }, default: { description: 'The status', ...json(problem) } },
      },
    },
    '/delay/{ms}': {
      get: {
        operationId: 'getDelay',
        summary: 'Sends nothing for `ms`, then answers',
        parameters: [{ name: 'ms', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
        responses: { '200': { description: 'The delay', ...json({ type: 'object', properties: { delayed: { type: 'integer' } }, required: ['delayed'] }) } },
      },
    },
    '/echo': {
      post: {
        operationId: 'postEcho',
        summary: 'What the server received, body included',
        requestBody: { required: true, ...json({ type: 'object', additionalProperties: true }) },
        responses: { '200': { description: 'The request as received', ...json({ $ref: '#/components/schemas/Echo' }) } },
      },
    },
  },
  components: {
    schemas: {
      Greeting: {
        type: 'object',
        properties: { hello: { type: 'string' }, n: { type: 'integer' }, ok: { type: 'boolean' }, list: { type: 'array', items: { type: 'integer' } }, nested: { type: 'object', properties: { a: { type: 'string' } } }, text: { type: 'string' } },
        required: ['hello', 'n', 'ok', 'list', 'nested', 'text'],
      },
      Flaky: { type: 'object', properties: { ok: { type: 'boolean' }, attempt: { type: 'integer' } }, required: ['ok', 'attempt'] },
      Concurrency: { type: 'object', properties: { current: { type: 'integer' }, max: { type: 'integer' }, key: { type: 'string' } }, required: ['current', 'max', 'key'] },
      Problem: { type: 'object', properties: { status: { type: 'integer' }, message: { type: 'string' }, attempt: { type: 'integer' } }, required: ['status', 'message'] },
      Echo: {
        type: 'object',
        properties: {
          method: { type: 'string' },
          path: { type: 'string' },
          url: { type: 'string' },
          query: { type: 'object', additionalProperties: { type: 'string' } },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          body: { type: 'string' },
          bytes: { type: 'integer' },
        },
        required: ['method', 'path', 'url', 'query', 'headers', 'body', 'bytes'],
      },
    },
  },
} as const

/** `GET /openapi.json`: {@link OPENAPI_DOCUMENT}. */
export const openapi: RouteDefinition = {
  name: 'openapi',
  path: '/openapi.json',
  methods: ['GET', 'HEAD'],
  handle({ res }) {
    sendJson(res, 200, OPENAPI_DOCUMENT)
  },
}
