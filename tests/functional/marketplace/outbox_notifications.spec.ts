import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import OutboxEvent from '#models/outbox_event'
import OutboxConsume from '#commands/outbox_consume'
import {
  NOTIFICATION_MAP,
  type EventType,
  type NotificationRule,
} from '#services/notifications/notification_map'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import { dbNow } from '#services/database/timestamps'
import { recordEvent } from '#services/outbox/record_event'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import {
  as,
  party,
  pendingApplication,
  pendingInvite,
  publishedOffer,
} from '#tests/support/marketplace'

async function insertEvent(
  type: string,
  payload: Record<string, unknown>,
  actorId: number | null = null
) {
  const now = dbNow()
  const [row] = await db
    .table('outbox_events')
    .insert({
      type,
      aggregate_type: 'deal',
      aggregate_id: 1,
      payload: JSON.stringify(payload),
      meta: JSON.stringify({ requestId: 'synthetic-event', actorId }),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .returning('id')
  return Number(typeof row === 'object' ? row.id : row)
}

async function drain() {
  for (;;) {
    const { seen } = await consumeOutboxBatch()
    if (seen === 0) return
  }
}

test.group('outbox and notifications', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('every state change writes its event with the request id and the actor', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const created = await client
      .post('/api/offers')
      .header('X-Request-Id', 'flow-request-0001')
      .bearerToken(brand.token)
      .json({ title: 'Распаковка', brief: 'Видео', budget: 10_000 })
    const offerId = created.body().data.offer.id
    await client
      .post(`/api/offers/${offerId}/publish`)
      .header('X-Request-Id', 'flow-request-0002')
      .bearerToken(brand.token)
    const applied = await client
      .post(`/api/offers/${offerId}/applications`)
      .header('X-Request-Id', 'flow-request-0003')
      .bearerToken(creator.token)
      .json({})
    await client
      .post(`/api/applications/${applied.body().data.application.id}/approve`)
      .header('X-Request-Id', 'flow-request-0004')
      .bearerToken(brand.token)

    const events = await OutboxEvent.query().orderBy('id', 'asc')
    assert.deepEqual(
      events.map((event) => [event.type, event.meta.requestId, event.meta.actorId]),
      [
        ['offer.published', 'flow-request-0002', brand.user.id],
        ['application.submitted', 'flow-request-0003', creator.user.id],
        ['application.approved', 'flow-request-0004', brand.user.id],
        ['deal.created', 'flow-request-0004', brand.user.id],
      ]
    )
    assert.include(events[2].payload, {
      brandId: brand.user.id,
      creatorId: creator.user.id,
      offerId,
    })
    assert.isTrue(events.every((event) => event.status === 'pending'))
  })

  test('a rolled-back change leaves no event', async ({ client, assert }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const offer = await publishedOffer(brand.user)
    const application = await pendingApplication(offer, creator.user)
    // A deal already claiming this application makes the approval's deal
    // insert fail after the status update was written.
    const now = dbNow()
    await db.table('deals').insert({
      offer_id: offer.id,
      brand_id: brand.user.id,
      creator_id: creator.user.id,
      application_id: application.id,
      amount: 1,
      currency: 'RUB',
      status: 'cancelled',
      created_at: now,
      updated_at: now,
    })
    const before = await OutboxEvent.query().count('* as total').first()

    const response = await client
      .post(`/api/applications/${application.id}/approve`)
      .bearerToken(brand.token)
    response.assertStatus(409)

    const after = await OutboxEvent.query().count('* as total').first()
    assert.equal(Number(after!.$extras.total), Number(before!.$extras.total))
    const unchanged = await db.from('applications').where('id', application.id).first()
    assert.equal(unchanged.status, 'pending')
  })

  test('an event already written goes when a later write of its transaction fails', async ({
    assert,
  }) => {
    const brand = await party('brand')
    const offer = await publishedOffer(brand.user)
    const before = await OutboxEvent.query().count('* as total').first()

    await assert.rejects(() =>
      db.transaction(async (trx) => {
        await recordEvent(trx, as(brand.user), {
          type: 'offer.closed',
          aggregateType: 'offer',
          aggregateId: offer.id,
          payload: { offerId: offer.id, brandId: brand.user.id },
        })
        await trx.from('offers').where('id', offer.id).update({ status: 'no such status' })
      })
    )

    const after = await OutboxEvent.query().count('* as total').first()
    assert.equal(Number(after!.$extras.total), Number(before!.$extras.total))
  })

  test('the whole notification map: {$self}')
    .with(Object.keys(NOTIFICATION_MAP) as EventType[])
    .run(async ({ assert }, type) => {
      const brand = await party('brand')
      const creator = await party('creator')
      const eventId = await insertEvent(type, {
        brandId: brand.user.id,
        creatorId: creator.user.id,
      })
      await drain()

      const rules = NOTIFICATION_MAP[type] as readonly NotificationRule[]
      const rows = await db.from('notifications').where('event_id', eventId).orderBy('user_id')
      assert.deepEqual(
        rows.map((row) => [Number(row.user_id), row.type, Boolean(row.telegram)]).sort(),
        rules
          .map((rule) => [
            rule.recipient === 'brand' ? brand.user.id : creator.user.id,
            rule.notification,
            rule.telegram,
          ])
          .sort()
      )
      const event = await OutboxEvent.findOrFail(eventId)
      assert.equal(event.status, 'done')
    })

  test('handling an event twice makes no second notification', async ({ assert }) => {
    const creator = await party('creator')
    const eventId = await insertEvent('deal.funded', { creatorId: creator.user.id, brandId: 999 })
    await drain()
    await db.from('outbox_events').where('id', eventId).update({ status: 'pending' })
    await drain()
    const rows = await db.from('notifications').where('event_id', eventId)
    assert.lengthOf(rows, 1)
  })

  test('unknown types and missing recipients are skipped and never stop the loop', async ({
    assert,
  }) => {
    const creator = await party('creator')
    const unknown = await insertEvent('martian.landed', { creatorId: creator.user.id })
    const missing = await insertEvent('deal.funded', { creatorId: 987_654 })
    const noIds = await insertEvent('deal.funded', {})
    const good = await insertEvent('deal.funded', { creatorId: creator.user.id })

    const { counters } = await consumeOutboxBatch()
    assert.include(counters, { skipped_unknown_type: 1, skipped_no_recipient: 2, done: 1 })

    const statuses = await db
      .from('outbox_events')
      .whereIn('id', [unknown, missing, noIds, good])
      .orderBy('id')
      .select('status', 'last_error')
    assert.deepEqual(
      statuses.map((row) => [row.status, row.last_error]),
      [
        ['skipped', 'skipped_unknown_type'],
        ['skipped', 'skipped_no_recipient'],
        ['skipped', 'skipped_no_recipient'],
        ['done', null],
      ]
    )
  })

  test('the actor is not notified of their own action', async ({ assert }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const eventId = await insertEvent(
      'deal.cancelled',
      { brandId: brand.user.id, creatorId: creator.user.id },
      brand.user.id
    )
    await drain()
    const rows = await db.from('notifications').where('event_id', eventId)
    assert.deepEqual(
      rows.map((row) => Number(row.user_id)),
      [creator.user.id]
    )
  })

  test('notifications API: list newest first, unread count, mark one and all read', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const first = await publishedOffer(brand.user, { title: 'Первое предложение' })
    const second = await publishedOffer(brand.user, { title: 'Второе предложение' })
    await pendingInvite(first, creator.user)
    await pendingInvite(second, creator.user)
    await drain()

    const list = await client.get('/api/notifications').bearerToken(creator.token)
    list.assertStatus(200)
    const { items, total } = list.body().data
    assert.equal(total, 2)
    assert.deepEqual(
      items.map((item: any) => [item.type, item.payload.offerTitle, item.read]),
      [
        ['invite_received', 'Второе предложение', false],
        ['invite_received', 'Первое предложение', false],
      ]
    )

    const unread = await client.get('/api/notifications/unread-count').bearerToken(creator.token)
    assert.equal(unread.body().data.unread, 2)

    const marked = await client
      .post(`/api/notifications/${items[0].id}/read`)
      .bearerToken(creator.token)
    marked.assertStatus(200)
    assert.isTrue(marked.body().data.notification.read)
    const again = await client
      .post(`/api/notifications/${items[0].id}/read`)
      .bearerToken(creator.token)
    assert.equal(again.body().data.notification.readAt, marked.body().data.notification.readAt)

    const unreadOnly = await client.get('/api/notifications?unread=true').bearerToken(creator.token)
    assert.equal(unreadOnly.body().data.total, 1)

    const all = await client.post('/api/notifications/read-all').bearerToken(creator.token)
    assert.equal(all.body().data.marked, 1)
    const none = await client.get('/api/notifications/unread-count').bearerToken(creator.token)
    assert.equal(none.body().data.unread, 0)

    const brandList = await client.get('/api/notifications').bearerToken(brand.token)
    assert.equal(brandList.body().data.total, 0)
  })

  test('node ace outbox:consume --once drains what is due and exits', async ({ assert }) => {
    const creator = await party('creator')
    for (let i = 0; i < 5; i++) {
      await insertEvent('deal.funded', { creatorId: creator.user.id })
    }
    const command = await ace.create(OutboxConsume, ['--once', '--batch-size=2'])
    command.ui.switchMode('raw')
    await command.exec()
    assert.equal(command.exitCode, 0)
    const pending = await db
      .from('outbox_events')
      .where('status', 'pending')
      .count('* as total')
      .first()
    assert.equal(Number(pending.total), 0)
    const notifications = await db.from('notifications').count('* as total').first()
    assert.equal(Number(notifications.total), 5)
  })
})
