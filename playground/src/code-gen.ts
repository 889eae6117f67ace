/**
 * Turns a {@link Plan} into the volley code that does the same thing, ready to paste: the code
 * panel shows it, and because the run executes the same plan, it is the code that just ran.
 */
import { literal, numberLiteral, quote, raw } from './code-literal.js'
import { clientCode, clientImports } from './make-client.js'
import { SSE_OPTIONS, callQuery, type Plan } from './plan.js'

/** Query values that are numbers are written as numbers (volley stringifies them anyway). */
function queryLiteral(plan: Plan, perRequest: boolean): Record<string, unknown> {
  const query: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(callQuery(plan, 0))) {
    query[name] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
  }
  if (perRequest) query.key = raw(`\`${plan.key.value.replace(/[`$\\]/g, '\\$&')}-\${i + 1}\``)
  return query
}

const VERBS: Record<string, string> = { GET: 'get', HEAD: 'head', OPTIONS: 'options', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' }

/** What paces the calls, naming only what the plan configured. */
export function pacingComment(plan: Plan): string {
  const { concurrency, rateLimit } = plan.options
  const paces: string[] = []
  if (concurrency !== undefined) paces.push(`the pool runs at most ${concurrency} at a time`)
  if (rateLimit) {
    const burst = rateLimit.burst ? ` (burst ${rateLimit.burst})` : ''
    paces.push(`the rate limiter starts at most ${rateLimit.limit} per ${numberLiteral(rateLimit.interval ?? 1000)} ms${burst}`)
  }
  if (paces.length === 0) return `// ${plan.count} calls at once, all sent together: no pool, no rate limit.`
  return `// ${plan.count} calls at once; ${paces.join(', and ')}.`
}

/** The code of the calls: a loop over `count`, or a single call. */
/**
 * A progress callback that prints what is known: the ETA only while one is (`etaMs` is undefined
 * until a rate and a total are), and "done" on the last event instead of "eta 0 ms".
 */
export function progressLogger(direction: 'up' | 'down'): string {
  return `(p) => console.log(\`${direction} \${p.percent?.toFixed(0) ?? "?"}% \${Math.round(p.bytesPerSecond)} B/s\${p.done ? " done" : p.etaMs === undefined ? "" : \` eta \${Math.round(p.etaMs)} ms\`}\`)`
}

function callsCode(plan: Plan): string[] {
  const many = plan.count > 1
  const perRequest = many && plan.key.mode === 'per-request'
  const indent = many ? '    ' : ''
  const call: Record<string, unknown> = {}
  const query = queryLiteral(plan, perRequest)
  // No `query: {}`: a route without parameters or key gets none.
  if (Object.keys(query).length > 0) call.query = query
  if (plan.uploadSize !== undefined) {
    call.body = raw('body')
    call.onUploadProgress = raw(progressLogger('up'))
  }
  if (plan.read === 'sse') Object.assign(call, SSE_OPTIONS)
  if (plan.read === 'auto') {
    call.onDownloadProgress = raw(progressLogger('down'))
  }
  const empty = Object.keys(call).length === 0
  const options = literal(call, indent)
  const args = empty ? quote(plan.path) : `${quote(plan.path)}, ${options}`
  const lines: string[] = []
  if (plan.uploadSize !== undefined) lines.push(`const body = new Uint8Array(${numberLiteral(plan.uploadSize)}) // the bytes to upload`)

  if (plan.read !== 'auto') {
    const helper = plan.read === 'sse' ? 'streamSSE' : 'streamNdjson'
    const item = plan.read === 'sse' ? 'message' : 'value'
    const body = `for await (const ${item} of ${helper}(client, ${args})) console.log(${item})`
    if (!many) return [...lines, body]
    return [...lines, pacingComment(plan), `await Promise.all(`, `  Array.from({ length: ${plan.count} }, async ${perRequest ? '(_, i)' : '()'} => {`, `    ${body}`, `  }),`, `)`]
  }
  const verb = VERBS[plan.method]
  const target = verb ? `client.safe.${verb}(${args})` : `client.safe(${quote(plan.path)}, { method: ${quote(plan.method)}${empty ? '' : `, ...${options}`} })`
  if (!many) {
    return [...lines, `const result = await ${target}`, `console.log(result.ok ? result.meta : result.error.message)`]
  }
  return [
    ...lines,
    pacingComment(plan),
    `const results = await Promise.all(`,
    `  Array.from({ length: ${plan.count} }, ${perRequest ? '(_, i)' : '()'} =>`,
    `    ${target},`,
    `  ),`,
    `)`,
    `for (const result of results) console.log(result.ok ? result.meta.durationMs : result.error.message)`,
  ]
}

/** The whole snippet. */
export function generateCode(plan: Plan): string {
  return [
    `import { ${[...clientImports(plan.options), ...(plan.read === 'sse' ? ['streamSSE'] : plan.read === 'ndjson' ? ['streamNdjson'] : [])].join(', ')} } from 'volley'`,
    ``,
    clientCode(plan.options),
    ``,
    ...callsCode(plan),
    `console.log(client.metrics.snapshot())`,
    ``,
  ].join('\n')
}
