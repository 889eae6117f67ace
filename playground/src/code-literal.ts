/** JavaScript source for plain values, as a person would write them: the code panel's building blocks. */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** A single-quoted string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
}

/** `60000` -> `60_000`, as a person would write it. */
export function numberLiteral(value: number): string {
  if (!Number.isInteger(value) || Math.abs(value) < 10_000) return String(value)
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '_')
}

/** Code kept as written inside a {@link literal}. */
class Raw {
  constructor(readonly code: string) {}
}

/** Marks `code` to be written as is (an identifier, a function) inside a {@link literal}. */
export const raw = (code: string): Raw => new Raw(code)

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
