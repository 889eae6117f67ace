import { afterEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../src/index.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('runCli', () => {
  it('prints usage and starts nothing with --help', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await expect(runCli(['--help'])).resolves.toBeUndefined()
    expect(log.mock.calls[0]?.[0]).toContain('Usage: volley-chaos')
  })

  it('rejects a port that is not a number, saying what it got', async () => {
    await expect(runCli(['--port', 'http'])).rejects.toThrow('--port must be an integer in [0, 65535], got "http"')
  })

  it('rejects an unknown option', async () => {
    await expect(runCli(['--verbose'])).rejects.toThrow(/verbose/)
  })

  it('requires the TLS key and certificate together', async () => {
    await expect(runCli(['--tls-key', 'key.pem'])).rejects.toThrow('--tls-key and --tls-cert go together')
  })
})
