// Prints the export tables of docs/reference.md#exports from the sources (scripts/lib/public-exports.mjs).
// The reference test fails when the tables and the exports differ; run this to see the current ones.
import { ENTRIES, ownExports, publicExports } from './lib/public-exports.mjs'

const own = ownExports(publicExports())
for (const entry of ENTRIES) {
  console.log(`### ${entry.name}\n`)
  if (entry.extends) console.log(`Everything \`${entry.extends}\` exports, and:\n`)
  console.log('| export | kind | what it is |\n| --- | --- | --- |')
  for (const e of own[entry.name]) console.log(`| \`${e.name}\` | ${e.kind} | ${e.summary} |`)
  console.log()
}
