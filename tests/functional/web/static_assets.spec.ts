import { test } from '@japa/runner'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'

test.group('Static assets', () => {
  test('the stylesheet is served from public/', async ({ client, assert }) => {
    const response = await client.get('/app.css')
    response.assertStatus(200)
    assert.include(response.header('content-type'), 'text/css')
  })

  test('an /api path is never answered from public/, even when a file matches', async ({
    client,
    cleanup,
  }) => {
    const directory = app.publicPath('api')
    await mkdir(directory, { recursive: true })
    await writeFile(app.publicPath('api/static-probe.txt'), 'not an API answer')
    cleanup(() => rm(directory, { recursive: true, force: true }))

    const response = await client.get('/api/static-probe.txt')
    response.assertStatus(404)
    response.assertBodyContains({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
