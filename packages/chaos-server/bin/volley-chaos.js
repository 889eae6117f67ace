#!/usr/bin/env node
// Launcher for the built package; the logic lives in src/cli.ts.
import { runCli } from '../dist/index.js'

runCli(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  console.error('Run volley-chaos --help for usage.')
  process.exitCode = 1
})
