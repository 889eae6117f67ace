/**
 * Turns a {@link Plan} into the volley code that does the same thing, ready to paste: the code
 * panel shows it, and because the run executes the same plan, it is the code that just ran.
 */
import { SSE_OPTIONS, callQuery, type Plan } from './plan.js'

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
}

/** `60000` -> `60_000`, as a person would write it. */
function numberLiteral(value: number): string {
  if (!Number.isInteger(value) || Math.abs(value) < 10_000) return String(value)
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '_')
}

/** Code kept as written inside a {@link literal}. */
class Raw {
  constructor(readonly code: string) {}
}
const raw = (code: string): Raw => new Raw(code)

/** A JavaScript literal; objects stay on one line when short. */
export function literal(value: unknown, indent = ''): string {
  if (value instanceof Raw) return value.code
  if (typeof value === 'string') return quote(value)
  if (typeof value === 'number') return numberLiteral(value)
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, indent)).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    const inner = indent + '  '
    const parts = entries.map(([k, v]) => `${IDENTIFIER.test(k) ? k : quote(k)}: ${literal(v, inner)}`)
    const oneLine = `{ ${parts.join(', ')} }`
    if (parts.length === 0) return '{}'
    if (oneLine.length + indent.length <= 80 && !oneLine.includes('\n')) return oneLine
    return `{\n${parts.map((part) => `${inner}${part},`).join('\n')}\n${indent}}`
  }
  return String(value)
}

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

/** The code of the calls: a loop over `count`, or a single call. */
function callsCode(plan: Plan): string[] {
  const many = plan.count > 1
  const perRequest = many && plan.key.mode === 'per-request'
  const indent = many ? '    ' : ''
  const call: Record<string, unknown> = { query: queryLiteral(plan, perRequest) }
  if (plan.uploadSize !== undefined) {
    call.body = raw('body')
    call.onUploadProgress = raw('(p) => console.log(`up ${p.percent?.toFixed(0)}% ${p.bytesPerSecond} B/s eta ${p.etaMs} ms`)')
  }
  if (plan.read === 'sse') Object.assign(call, SSE_OPTIONS)
  if (plan.read === 'auto') {
    call.onDownloadProgress = raw('(p) => console.log(`down ${p.percent?.toFixed(0) ?? "?"}% ${p.bytesPerSecond} B/s eta ${p.etaMs} ms`)')
  }
  const options = literal(call, indent)
  const lines: string[] = []
  if (plan.uploadSize !== undefined) lines.push(`const body = new Uint8Array(${numberLiteral(plan.uploadSize)}) // the bytes to upload`)

  if (plan.read !== 'auto') {
    const helper = plan.read === 'sse' ? 'sse' : 'ndjson'
    const item = plan.read === 'sse' ? 'message' : 'value'
    const body = `for await (const ${item} of client.${helper}(${quote(plan.path)}, ${options})) console.log(${item})`
    if (!many) return [...lines, body]
    return [...lines, `await Promise.all(`, `  Array.from({ length: ${plan.count} }, async ${perRequest ? '(_, i)' : '()'} => {`, `    ${body}`, `  }),`, `)`]
  }
  const verb = VERBS[plan.method]
  const target = verb ? `client.safe.${verb}(${quote(plan.path)}, ${options})` : `client.safe(${quote(plan.path)}, { method: ${quote(plan.method)}, ...${options} })`
  if (!many) {
    return [...lines, `const result = await ${target}`, `console.log(result.ok ? result.meta : result.error.message)`]
  }
  return [
    ...lines,
    `// ${plan.count} calls at once; the pool and the rate limiter pace them.`,
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
  const options: Record<string, unknown> = { ...plan.options, logger: raw('consoleLogger') }
  return [
    `import { createClient, consoleLogger } from 'volley'`,
    ``,
    `const client = createClient(${literal(options)})`,
    ``,
    ...callsCode(plan),
    `console.log(client.metrics.snapshot())`,
    ``,
  ].join('\n')
}
