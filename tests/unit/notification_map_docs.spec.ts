import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { renderNotificationTable } from '#services/notifications/notification_map'

test.group('docs/NOTIFICATIONS.md', () => {
  test('its table is the notification map, row for row', async ({ assert }) => {
    const markdown = await readFile(app.makePath('docs/NOTIFICATIONS.md'), 'utf8')
    const documented = markdown
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .join('\n')
    assert.equal(documented, renderNotificationTable())
  })
})
