/*
|--------------------------------------------------------------------------
| First-run environment
|--------------------------------------------------------------------------
|
| Writes .env from .env.example with a fresh APP_KEY when there is no .env
| yet, so that `npm run demo` works on a fresh clone. An existing .env is
| never touched.
|
*/
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const target = new URL('../.env', import.meta.url)
const template = new URL('../.env.example', import.meta.url)

if (!existsSync(target)) {
  const appKey = randomBytes(32).toString('base64url')
  const contents = readFileSync(template, 'utf8').replace(/^APP_KEY=.*$/m, `APP_KEY=${appKey}`)
  writeFileSync(target, contents, { mode: 0o600 })
  process.stdout.write('Wrote .env from .env.example with a new APP_KEY\n')
}
