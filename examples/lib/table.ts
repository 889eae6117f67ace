/**
 * A small text table for the examples' output, instead of `console.table`: no `(index)` column,
 * no quoted strings, columns aligned, numbers (and numbers with a unit, like `120 ms`) aligned to
 * the right, and rows left out only with a line that says how many.
 *
 * @example
 * printTable([{ page: 1, status: 200, duration: '84 ms' }], { head: 8, tail: 3 })
 * //   page  status  duration
 * //      1     200     84 ms
 */

/** A cell: text, a number, or nothing (printed as `-`). */
export type Cell = string | number | undefined

export interface TableOptions {
  /** Print only the first `head` and the last `tail` rows, with "… N more rows" between. */
  readonly head?: number
  readonly tail?: number
  /** Put before every line. @default '  ' */
  readonly indent?: string
}

/** A number, or a number followed by a unit: `42`, `1.5 s`, `84 ms`, `12%`. */
const NUMERIC = /^-?[\d.,_]+(?:\s?[a-zA-Z%/]+)?$/

function text(cell: Cell): string {
  if (cell === undefined) return '-'
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : cell.toFixed(1)
  return cell
}

/** `plural(1, 'retry', 'retries')` -> `'1 retry'`; `plural(2, 'page')` -> `'2 pages'`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/** The table as lines of text. */
export function formatTable(rows: readonly Record<string, Cell>[], options: TableOptions = {}): string[] {
  const indent = options.indent ?? '  '
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  const { head = rows.length, tail = 0 } = options
  const shown = head + tail >= rows.length ? rows : [...rows.slice(0, head), undefined, ...rows.slice(rows.length - tail)]
  const cells = shown.map((row) => (row === undefined ? undefined : columns.map((column) => text(row[column]))))
  const width = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row?.[i]?.length ?? 0)))
  // A column is right-aligned when every value in it is a number (or '-').
  const right = columns.map((_, i) => cells.every((row) => row === undefined || row[i] === '-' || NUMERIC.test(row[i] as string)))
  const line = (values: readonly string[]): string =>
    indent + values.map((value, i) => (right[i] ? value.padStart(width[i] as number) : value.padEnd(width[i] as number))).join('  ').trimEnd()
  const skipped = rows.length - head - tail
  return [line(columns), ...cells.map((row) => (row === undefined ? `${indent}… ${plural(skipped, 'more row')}` : line(row)))]
}

/** Prints {@link formatTable}'s lines. */
export function printTable(rows: readonly Record<string, Cell>[], options: TableOptions = {}): void {
  for (const line of formatTable(rows, options)) console.log(line)
}
