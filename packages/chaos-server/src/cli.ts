import { readFileSync, realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { startChaosServer, type ChaosServer } from './server.js'

const USAGE = `Usage: volley-chaos [options]

Starts the volley chaos server: an httpbin-like HTTP server with fault injection.

Options:
  -p, --port <n>          port to listen on (default 8080; 0 picks a free one)
  -H, --host <host>       interface to bind (default 127.0.0.1)
      --tls-key <file>    PEM private key; with --tls-cert, serve HTTPS
      --tls-cert <file>   PEM certificate
      --no-record         do not store hits (counts still work)
      --max-recorded <n>  hits kept in memory (default 10000)
  -h, --help              show this help

GET / on the server lists the routes; GET /__stats shows what it saw.`

/**
 * Runs the `volley-chaos` command: parses `argv`, starts the server, prints
 * its URL and closes it on SIGINT/SIGTERM. Resolves with the server, or
 * `undefined` after `--help`. Rejects on bad arguments.
 *
 * @example
 * // bin/volley-chaos.js
 * await runCli(process.argv.slice(2))
 */
export async function runCli(argv: readonly string[]): Promise<ChaosServer | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', short: 'p', default: '8080' },
      host: { type: 'string', short: 'H', default: '127.0.0.1' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      'no-record': { type: 'boolean', default: false },
      'max-recorded': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log(USAGE)
    return undefined
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`--port must be an integer in [0, 65535], got "${values.port}"`)
  }
  const maxRecorded = values['max-recorded'] === undefined ? undefined : Number(values['max-recorded'])
  if (maxRecorded !== undefined && !(Number.isInteger(maxRecorded) && maxRecorded >= 0)) {
    throw new TypeError(`--max-recorded must be a non-negative integer, got "${values['max-recorded']}"`)
  }
  const keyFile = values['tls-key']
  const certFile = values['tls-cert']
  if ((keyFile === undefined) !== (certFile === undefined)) {
    throw new TypeError('--tls-key and --tls-cert go together')
  }

  const server = await startChaosServer({
    port,
    host: values.host,
    tls: keyFile && certFile ? { key: readFileSync(keyFile), cert: readFileSync(certFile) } : undefined,
    record: !values['no-record'],
    maxRecorded,
  })
  console.log(`volley chaos server listening on ${server.url} (also ${server.altUrl})`)
  const stop = (): void => {
    void server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return server
}

function isMain(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href
  } catch {
    return false
  }
}

// Lets `tsx --conditions=source packages/chaos-server/src/cli.ts --port 8080` run it in dev.
if (isMain()) {
  runCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    console.error(`\n${USAGE}`)
    process.exitCode = 1
  })
}
