import { test } from '@japa/runner'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const ROOT = join(import.meta.dirname, '../..')
const CONTRACT_HELPER = 'app/http/api_response.ts'
const RAW_WRITE = /response\.(send|json|status)\(/

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) {
      return sourcesUnder(path)
    }
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

test.group('response writes (DESIGN.md §3)', () => {
  test('no file in app/ but the contract helper writes a raw body or status', ({ assert }) => {
    const offenders = sourcesUnder(join(ROOT, 'app')).flatMap((path) => {
      const file = relative(ROOT, path)
      if (file === CONTRACT_HELPER) {
        return []
      }
      return readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          RAW_WRITE.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : []
        )
    })
    assert.deepEqual(offenders, [])
  })

  test('the contract helper is where the writes are', ({ assert }) => {
    assert.match(readFileSync(join(ROOT, CONTRACT_HELPER), 'utf8'), RAW_WRITE)
  })
})
