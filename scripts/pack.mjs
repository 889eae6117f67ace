// `npm run pack` (after `npm run build`): one installable tarball per publishable package, all in
// `dist-packs/` (git-ignored), so volley can be tried in an app outside this repository before it
// is published:
//
//   npm install /path/to/volley/dist-packs/*.tgz
//
// Every workspace that is not `private` is packed with `npm pack --pack-destination`; the folder
// is emptied first so it never mixes versions. The packages depend on each other by exact
// version, so install the tarballs together (the glob above) and npm links them to one another.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DEST = join(ROOT, 'dist-packs')

const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const publishable = workspaces.filter((dir) => !JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')).private)

const unbuilt = publishable.filter((dir) => !existsSync(join(ROOT, dir, 'dist')))
if (unbuilt.length > 0) {
  console.error(`pack: no dist/ in ${unbuilt.join(', ')}: run \`npm run build\` first (\`npm run pack\` does)`)
  process.exit(1)
}

rmSync(DEST, { recursive: true, force: true })
mkdirSync(DEST)
for (const dir of publishable) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const pack = spawnSync(npm, ['pack', '--json', '--pack-destination', DEST], { cwd: join(ROOT, dir), encoding: 'utf8', shell: process.platform === 'win32' })
  if (pack.status !== 0) {
    console.error(`pack: npm pack failed in ${dir}\n${pack.stderr}`)
    process.exit(1)
  }
  const [info] = JSON.parse(pack.stdout)
  console.log(`${relative(ROOT, join(DEST, info.filename))}  ${info.name}@${info.version}, ${info.entryCount} files, ${(info.size / 1024).toFixed(1)} KB`)
}
console.log(`\nTry it in an app: npm install ${DEST}/*.tgz`)
