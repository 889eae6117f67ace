import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))
const child = fileURLToPath(new URL('./fixtures/leak-child.ts', import.meta.url))

describe('no leaks', () => {
  it('lets the process exit promptly once every call has settled', async () => {
    const proc = spawn(tsx, ['--conditions=@volley/source', child, server().url], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    proc.stdout.on('data', (chunk) => (output += chunk))
    proc.stderr.on('data', (chunk) => (output += chunk))
    let settledAt = 0
    proc.stdout.on('data', () => {
      if (!settledAt && output.includes('settled')) settledAt = performance.now()
    })
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve))
    const lingered = performance.now() - settledAt
    expect(output).toContain('settled 11')
    expect(code).toBe(0)
    // Deadlines in the child are 100-120 s; a leaked timer would hold the process that long.
    // Idle keep-alive sockets are unref'd by Node's fetch, so they must not hold it either.
    expect(lingered).toBeLessThan(10_000)
  }, 30_000)
})
