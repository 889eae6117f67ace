/**
 * Turns section results into markdown (bench/RESULTS.md and stdout) with the environment that
 * produced them: node, package versions, machine, date. Numbers are formatted here only.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem, type as osType, release } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './paths.js'

export interface Table {
  readonly headers: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

/** A goal from the issues and whether this run met it (`undefined`: not measured). */
export interface Check {
  readonly goal: string
  readonly value: string
  readonly met: boolean | undefined
}

/** Whether `value` reaches `limit`; `undefined` when it could not be measured. */
export function atLeast(value: number, limit: number): boolean | undefined {
  return Number.isFinite(value) && Number.isFinite(limit) ? value >= limit : undefined
}

/** Whether `value` stays within `limit`; `undefined` when it could not be measured. */
export function atMost(value: number, limit: number): boolean | undefined {
  return Number.isFinite(value) && Number.isFinite(limit) ? value <= limit : undefined
}

export interface Section {
  readonly title: string
  /** What is measured and how, in a sentence or two. */
  readonly intro: string
  readonly tables: readonly Table[]
  readonly notes: readonly string[]
  readonly checks: readonly Check[]
}

export function renderTable(table: Table): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  const rule = table.headers.map((_, i) => (i === 0 ? '---' : '---:'))
  return [line(table.headers), line(rule), ...table.rows.map(line)].join('\n')
}

export function renderSection(section: Section): string {
  const parts = [`## ${section.title}`, section.intro, ...section.tables.map(renderTable)]
  if (section.notes.length > 0) parts.push(section.notes.map((n) => `- ${n}`).join('\n'))
  return parts.join('\n\n')
}

export function renderChecks(checks: readonly Check[]): string {
  const mark = (met: boolean | undefined): string => (met === undefined ? 'n/a' : met ? 'met' : '**missed**')
  return renderTable({ headers: ['goal', 'this run', 'status'], rows: checks.map((c) => [c.goal, c.value, mark(c.met)]) })
}

const PEERS = ['undici', 'ofetch', 'ky', 'axios', 'got', 'wretch', 'p-limit', 'p-queue', 'esbuild', 'playwright-core', 'tsx']
const OWN = { '@volley/core': 'packages/core', '@volley/node': 'packages/node', '@volley/browser': 'packages/browser', volley: 'packages/volley' }

function versionAt(dir: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'not installed'
  }
}

function gitCommit(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: ROOT, encoding: 'utf8' }).trim() !== ''
    return dirty ? `${hash} + uncommitted changes in packages/` : hash
  } catch {
    return 'unknown'
  }
}

/** The environment block at the top of RESULTS.md. */
export function environment(date: Date, mode: string): string {
  const cpu = cpus()
  const own = Object.entries(OWN).map(([name, dir]) => `${name}@${versionAt(dir)}`).join(', ')
  const peers = PEERS.map((name) => `${name}@${versionAt(`node_modules/${name}`)}`).join(', ')
  return [
    `- date: ${date.toISOString()}`,
    `- mode: ${mode}`,
    `- node ${process.version} (V8 ${process.versions.v8}, bundled undici ${process.versions.undici ?? '?'}), ${osType()} ${release()}`,
    `- machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `- volley: ${own} (built dist/, commit ${gitCommit()})`,
    `- peers: ${peers}`,
  ].join('\n')
}

export const fmt = {
  int: (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a'),
  ratio: (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}x` : 'n/a'),
  ms: (n: number): string => (Number.isFinite(n) ? (n < 1 ? n.toFixed(3) : n < 10 ? n.toFixed(2) : n.toFixed(1)) : 'n/a'),
  pct: (n: number): string => (Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : 'n/a'),
  /** A signed share with one decimal: `+4.9%`. */
  percent: (n: number): string => (Number.isFinite(n) ? `${n >= 0 ? '+' : ''}${(n * 100).toFixed(1)}%` : 'n/a'),
  bytes: (n: number): string => (Number.isFinite(n) ? n.toLocaleString('en-US') : 'n/a'),
  kib: (n: number): string => (Number.isFinite(n) ? `${(n / 1024).toFixed(1)} KiB` : 'n/a'),
  mib: (n: number): string => (Number.isFinite(n) ? `${(n / 2 ** 20).toFixed(1)} MiB` : 'n/a'),
}
