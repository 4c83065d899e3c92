import { test } from '@japa/runner'
import { readFile, readdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { ERROR_CATALOGUE } from '#exceptions/error_catalogue'
import { ERROR_REASONS, errorReason } from '#exceptions/error_reasons'
import { DomainError } from '#exceptions/domain_error'
import { STATUS_TONES } from '#http/status_labels'
import { NOTIFICATION_MAP } from '#services/notifications/notification_map'
import { OFFER_STATUSES } from '#models/offer'
import { APPLICATION_STATUSES } from '#models/application'
import { INVITE_STATUSES } from '#models/invite'
import { DEAL_STATUSES } from '#models/deal'
import { PAYOUT_STATUSES } from '#models/payout_request'
import { OUTBOX_STATUSES } from '#models/outbox_event'
import { BINDING_STATUSES } from '#models/telegram_binding'
import { USER_ROLES } from '#models/user'

const ru = () => i18nManager.locale('ru')

function missing(keys: string[]) {
  const i18n = ru()
  return keys.filter((key) => !i18n.hasMessage(key))
}

async function templates(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.edge'))
    .map((entry) => `${entry.parentPath}/${entry.name}`)
}

test.group('translations (resources/lang/ru)', () => {
  test('every API error code reads the same as its translation', ({ assert }) => {
    const i18n = ru()
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      assert.equal(i18n.t(`errors.${code}`), entry.message, code)
    }
  })

  test('every refusal reason the services give has its words', ({ assert }) => {
    assert.deepEqual(missing(ERROR_REASONS.map((reason) => `errors.reasons.${reason}`)), [])
    assert.equal(errorReason('already_applied'), 'Вы уже откликнулись на это предложение')
  })

  test('a CONFLICT names the current status inside the translated sentence', ({ assert }) => {
    assert.equal(
      DomainError.conflict('draft', errorReason('offer_not_published')).message,
      'Предложение уже не опубликовано (текущий статус: draft)'
    )
    assert.equal(
      DomainError.conflict('closed').message,
      'Действие невозможно, текущий статус: closed'
    )
  })

  test('every status of every record has a label and a tone', ({ assert }) => {
    const statuses = {
      offer: OFFER_STATUSES,
      application: APPLICATION_STATUSES,
      invite: INVITE_STATUSES,
      deal: DEAL_STATUSES,
      payout: PAYOUT_STATUSES,
      outbox: OUTBOX_STATUSES,
      telegram: [...BINDING_STATUSES, 'none'],
    }
    for (const [kind, values] of Object.entries(statuses)) {
      const tones = STATUS_TONES[kind as keyof typeof STATUS_TONES]
      assert.sameMembers(Object.keys(tones), [...values], kind)
      assert.deepEqual(missing(values.map((value) => `status.${kind}.${value}`)), [], kind)
    }
    assert.deepEqual(missing(USER_ROLES.map((role) => `app.roles.${role}`)), [])
  })

  test('every notification type and outbox event type has words', ({ assert }) => {
    const notificationTypes = Object.values(NOTIFICATION_MAP).flatMap((rules) =>
      rules.map((rule) => rule.notification)
    )
    assert.deepEqual(missing(notificationTypes.map((type) => `notifications.types.${type}`)), [])
    assert.deepEqual(
      missing(Object.keys(NOTIFICATION_MAP).map((type) => `outbox.types.${type}`)),
      []
    )
  })

  test('every literal key a template asks for exists', async ({ assert }) => {
    const keys = new Set<string>()
    for (const file of await templates(app.viewsPath())) {
      const source = await readFile(file, 'utf8')
      for (const [, key] of source.matchAll(/\bt\('([a-z_.]+)'\s*[,)]/g)) {
        keys.add(key)
      }
    }
    assert.isAbove(keys.size, 50)
    assert.deepEqual(missing([...keys]), [])
  })
})
