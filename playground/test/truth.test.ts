import { describe, expect, it } from 'vitest'
import type { MetricsSnapshot, Progress } from '@volley/browser'
import { progressLogger } from '../src/code-gen.js'
import { errorRate, refusedText } from '../src/metrics-panel.js'
import { buildPlan } from '../src/plan.js'
import { PRESETS, applyPreset } from '../src/presets.js'
import { DEFAULT_VALUES, parseSettings } from '../src/settings.js'
import { chooseRowHeight, labelsRow, rowLabelStep } from '../src/timeline-draw.js'
import { LEGEND, NAMES, UNLABELLED } from '../src/timeline-palette.js'
import { createTransfers } from '../src/transfers.js'

// The playground's numbers must add up (issue 23): these are the models behind the panels, the
// e2e spec (e2e/specs/playground.spec.ts) checks the same things on the page in every engine.

const report = (loaded: number, total: number | undefined, done = false): Progress => ({
  loaded,
  total,
  percent: total ? (loaded / total) * 100 : undefined,
  bytesPerSecond: 0,
  etaMs: undefined,
  done,
})

describe('the download bar', () => {
  it('is not drawn full over calls that failed part-way: 5 stalled calls of 1 MB that got 100 B each', () => {
    const transfers = createTransfers()
    transfers.reset(5)
    for (let i = 0; i < 5; i++) {
      // Two attempts each (one retry), 100 bytes each time, then the call fails.
      transfers.report(i, report(100, 1_000_000), 10)
      transfers.report(i, report(0, 1_000_000), 20)
      transfers.report(i, report(100, 1_000_000), 30)
      transfers.received(100)
      transfers.received(100)
      transfers.settle(i)
    }
    const sum = transfers.sum(40, false)
    expect(sum).toMatchObject({ done: 0, failed: 5, loaded: 500, received: 1000, total: 5_000_000 })
    expect(sum.fraction).toBeCloseTo(0.0001)
  })

  it('stays empty when no byte of the calls arrived: 0 B of 19.5 KiB', () => {
    const transfers = createTransfers()
    transfers.reset(10)
    for (let i = 0; i < 10; i++) {
      transfers.report(i, report(0, 2000), 10)
      transfers.settle(i)
    }
    expect(transfers.sum(20, false)).toMatchObject({ loaded: 0, total: 20_000, fraction: 0 })
  })

  it('counts calls refused before any byte as over, at 0, and completed calls at 1', () => {
    const transfers = createTransfers()
    transfers.reset(4)
    transfers.report(0, report(50, 50, true), 10)
    transfers.report(1, report(50, 50, true), 10)
    transfers.settle(0)
    transfers.settle(1)
    transfers.settle(2) // refused by a breaker: never transferred
    transfers.settle(3)
    expect(transfers.sum(20, false).fraction).toBe(0.5)
  })

  it('never goes backwards while calls fail and others complete', () => {
    const transfers = createTransfers()
    transfers.reset(3)
    const seen: number[] = []
    const look = (): void => void seen.push(transfers.sum(0, true).fraction ?? -1)
    transfers.report(0, report(500, 1000), 1)
    look()
    transfers.report(1, report(200, 1000), 2)
    look()
    transfers.settle(1) // failed at 200 of 1000
    look()
    transfers.report(0, report(1000, 1000, true), 3)
    look()
    transfers.report(2, report(1000, 1000, true), 4)
    look()
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    expect(seen.at(-1)).toBeCloseTo(2.2 / 3)
  })
})

describe('the metrics panel', () => {
  const snapshot = (overrides: Partial<MetricsSnapshot>): MetricsSnapshot =>
    ({ calls: 0, outcomes: { ok: 0, http: 0, timeout: 0, network: 0, aborted: 0, validation: 0, other: 0 }, ...overrides }) as MetricsSnapshot

  it('leaves the SSE drops the run resumed out of the error rate: 3 streams read to the end after 3 drops is 0%', () => {
    const sse = snapshot({ calls: 6, outcomes: { ok: 3, http: 0, timeout: 0, network: 3, aborted: 0, validation: 0, other: 0 } })
    expect(errorRate(sse)).toBe(0.5)
    expect(errorRate(sse, { resumed: 3 })).toBe(0)
  })

  it('still counts a failure that was not resumed, and leaves aborts out', () => {
    const mixed = snapshot({ calls: 10, outcomes: { ok: 6, http: 1, timeout: 0, network: 1, aborted: 1, validation: 0, other: 1 } })
    expect(errorRate(mixed, { resumed: 1 })).toBe(2 / 8)
  })

  it('says how many retries or hedges were refused and by whom', () => {
    expect(refusedText({})).toBe('0')
    expect(refusedText({ 'retry-budget': 2 })).toBe('2 (retry-budget)')
    expect(refusedText({ 'retry-budget': 2, 'no-hedges': 1 })).toBe('3 (retry-budget 2, no-hedges 1)')
  })
})

describe('the timeline legend and row numbers', () => {
  it('has an entry for every colour a row is drawn in, the near-black ones included', () => {
    const legend = new Set<string>(LEGEND.map((entry) => entry.key))
    const drawn = NAMES.filter((name) => !UNLABELLED.includes(name))
    expect(drawn.filter((name) => !legend.has(name))).toEqual([])
    expect(legend).toContain('other')
    expect(legend).toContain('tick')
  })

  it('numbers rows at any count, never closer than a legible 10 px', () => {
    for (const count of [1, 10, 40, 44, 45, 60, 100, 200]) {
      const height = chooseRowHeight(count)
      const step = rowLabelStep(height)
      expect(step * height).toBeGreaterThanOrEqual(10)
      const labelled = Array.from({ length: count }, (_, i) => i).filter((i) => labelsRow(i, step))
      expect(labelled[0]).toBe(0)
      expect(labelled.length).toBeGreaterThanOrEqual(Math.min(count, Math.floor(count / step)))
    }
    expect(rowLabelStep(chooseRowHeight(60))).toBe(2)
  })
})

describe('the generated progress logger', () => {
  // The Code panel's callback, evaluated as the pasted code would run it.
  const run = (direction: 'up' | 'down', p: Progress): string => {
    const lines: string[] = []
    const log = (line: string): void => void lines.push(line)
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const callback = new Function('console', `return ${progressLogger(direction)}`)({ log }) as (p: Progress) => void
    callback(p)
    return lines.join('\n')
  }

  it('prints no ETA while none is known, rather than "eta undefined ms"', () => {
    expect(run('down', report(0, undefined))).toBe('down ?% 0 B/s')
  })

  it('prints the ETA while one is known, and "done" once finished rather than "eta 0 ms"', () => {
    expect(run('down', { ...report(500, 1000), bytesPerSecond: 1000.4, etaMs: 500.2 })).toBe('down 50% 1000 B/s eta 500 ms')
    expect(run('up', { ...report(1000, 1000, true), etaMs: 0 })).toBe('up 100% 0 B/s done')
  })
})

describe('the presets', () => {
  const planOf = (id: string) => {
    const preset = PRESETS.find((p) => p.id === id)
    expect(preset, id).toBeDefined()
    const { settings, problems } = parseSettings(applyPreset(preset!, { ...DEFAULT_VALUES }))
    expect(problems).toEqual([])
    return buildPlan(settings, 'http://chaos.test', 'run-key')
  }

  it('hedges under a latency tail', () => {
    const plan = planOf('hedge')
    expect(plan.path).toBe('/tail')
    expect(plan.options.policies).toEqual(['hedge'])
    expect(plan.key.mode).toBe('shared') // so "Server saw" counts the run's requests, hedges included
  })

  it('runs a breaker long enough to reach half-open: retries wait past its 2 s cooldown', () => {
    const plan = planOf('breaker')
    expect(plan.path).toBe('/flap')
    expect(plan.options.policies).toEqual(['circuitBreaker'])
    expect(plan.options.retry).toMatchObject({ limit: 1, delay: 2500, jitter: 'none' })
    expect(plan.key.mode).toBe('shared')
  })
})
