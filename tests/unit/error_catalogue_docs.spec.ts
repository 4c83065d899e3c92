import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { ERROR_CATALOGUE } from '#exceptions/error_catalogue'

test.group('docs/API.md', () => {
  test('its error catalogue table equals the catalogue in code', async ({ assert }) => {
    const markdown = await readFile(app.makePath('docs/API.md'), 'utf8')
    const documented = [
      ...markdown.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (yes|no) \| (.+) \|$/gm),
    ].map(([, code, status, retryable, meaning]) => ({
      code,
      status: Number(status),
      retryable: retryable === 'yes',
      meaning,
    }))
    const inCode = Object.entries(ERROR_CATALOGUE).map(([code, entry]) => ({
      code,
      status: entry.status,
      retryable: entry.retryable,
      meaning: entry.meaning,
    }))
    assert.deepEqual(documented, inCode)
  })
})
