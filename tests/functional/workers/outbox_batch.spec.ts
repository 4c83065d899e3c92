import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import { dbNow } from '#services/database/timestamps'
import { truncateAll } from '#tests/support/database'
import { party } from '#tests/support/marketplace'

async function insertEvent(creatorId: number) {
  const now = dbNow()
  const [row] = await db
    .table('outbox_events')
    .insert({
      type: 'deal.funded',
      aggregate_type: 'deal',
      aggregate_id: 1,
      payload: JSON.stringify({ creatorId }),
      meta: JSON.stringify({ requestId: null, actorId: null }),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .returning('id')
  return Number(typeof row === 'object' ? row.id : row)
}

/**
 * Makes every notification insert for one event fail, on either database.
 */
async function breakNotificationsOf(eventId: number) {
  if (db.connection().dialect.name === 'postgres') {
    await db.rawQuery(
      `CREATE FUNCTION outbox_batch_test_fail() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql`
    )
    await db.rawQuery(
      `CREATE TRIGGER outbox_batch_test_fail BEFORE INSERT ON notifications
       FOR EACH ROW WHEN (NEW.event_id = ${eventId}) EXECUTE FUNCTION outbox_batch_test_fail()`
    )
    return async () => {
      await db.rawQuery('DROP TRIGGER outbox_batch_test_fail ON notifications')
      await db.rawQuery('DROP FUNCTION outbox_batch_test_fail()')
    }
  }
  await db.rawQuery(
    `CREATE TRIGGER outbox_batch_test_fail BEFORE INSERT ON notifications
     WHEN NEW.event_id = ${eventId} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`
  )
  return async () => {
    await db.rawQuery('DROP TRIGGER outbox_batch_test_fail')
  }
}

/**
 * Counts the transactions opened through the db service until stopped.
 */
function countTransactions() {
  const original = db.transaction
  const counter = {
    count: 0,
    stop: () => {
      db.transaction = original
    },
  }
  db.transaction = ((...args: Parameters<typeof original>) => {
    counter.count += 1
    return original.apply(db, args)
  }) as typeof original
  return counter
}

test.group('outbox consumer batches', (group) => {
  group.each.setup(() => truncateAll())

  test('a batch is handled together: every event done, one notification each', async ({
    assert,
  }) => {
    const creator = await party('creator')
    const ids = [
      await insertEvent(creator.user.id),
      await insertEvent(creator.user.id),
      await insertEvent(987_654),
    ]
    const transactions = countTransactions()
    const { seen, counters } = await consumeOutboxBatch(10)
    transactions.stop()
    // The claim, then the whole batch: not one transaction per event.
    assert.equal(transactions.count, 2)
    assert.equal(seen, 3)
    assert.include(counters, { done: 2, skipped_no_recipient: 1, retried: 0 })
    const notifications = await db.from('notifications').orderBy('event_id').select('event_id')
    assert.deepEqual(
      notifications.map((row) => Number(row.event_id)),
      ids.slice(0, 2)
    )
  })

  test('one failing event in a batch: the others are done in the same pass, it alone is retried', async ({
    assert,
  }) => {
    const creator = await party('creator')
    const ids = [
      await insertEvent(creator.user.id),
      await insertEvent(creator.user.id),
      await insertEvent(creator.user.id),
    ]
    const repair = await breakNotificationsOf(ids[1])
    try {
      const { counters } = await consumeOutboxBatch(10)
      assert.include(counters, { done: 2, retried: 1, dead: 0 })
    } finally {
      await repair()
    }
    const events = await db.from('outbox_events').orderBy('id').select('status', 'attempts')
    assert.deepEqual(
      events.map((row) => [row.status, Number(row.attempts)]),
      [
        ['done', 0],
        ['pending', 1],
        ['done', 0],
      ]
    )
    const notifications = await db.from('notifications').orderBy('event_id').select('event_id')
    assert.deepEqual(
      notifications.map((row) => Number(row.event_id)),
      [ids[0], ids[2]]
    )
  })
})
