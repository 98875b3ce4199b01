// Fails when a file of the app outside src/api/ spells an API path: the
// per-resource modules of src/api/ are the only place one is written, with
// the types generated from api/openapi.json. Run by `npm run build`.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const web = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(web, 'src')
const allowed = join(src, 'api')

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) {
      if (p !== allowed) yield* files(p)
    } else yield p
  }
}

const found = []
for (const f of files(src)) {
  readFileSync(f, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.includes('/api/v1')) found.push(`${relative(web, f)}:${i + 1}: ${line.trim()}`)
    })
}
if (found.length) {
  console.error('check-api-paths: API paths outside src/api/ (call the module of src/api/ instead):')
  for (const f of found) console.error('  ' + f)
  process.exit(1)
}
console.log('check-api-paths: API paths are spelled only in src/api/')
