/** Number formatting shared by the panels: short, fixed-width-friendly, unit included. */

/** `1234` -> `'1.23 s'`, `87.4` -> `'87 ms'`; `undefined` -> `'–'`. */
export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–'
  if (value < 1000) return `${Math.round(value)} ms`
  if (value < 60_000) return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`
  return `${Math.floor(value / 60_000)} min ${Math.round((value % 60_000) / 1000)} s`
}

/** `1536` -> `'1.5 KiB'`. */
export function bytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–'
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let n = value
  let unit = 0
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024
    unit++
  }
  return unit === 0 ? `${Math.round(n)} B` : `${n.toFixed(n < 10 ? 2 : 1)} ${units[unit]}`
}

/** `0.125` -> `'12.5%'`. */
export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio === 0 || ratio === 1 ? 0 : 1)}%`
}

/** A wall-clock stamp for log lines: `'14:03:07.218'`. */
export function clockTime(epochMs: number): string {
  const date = new Date(epochMs)
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}
