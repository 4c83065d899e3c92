import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import OutboxConsume from '#commands/outbox_consume'
import workersConfig from '#config/workers'
import { claimOutboxBatch } from '#services/outbox/claim_outbox_batch'
import { consumeOutboxBatch, retryDelayMs } from '#services/outbox/consume_outbox_batch'
import { WorkerHeartbeat } from '#services/workers/worker_heartbeat'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { party, tokenOf } from '#tests/support/marketplace'
import { logMark, logTextSince } from '#tests/support/logs'

async function insertEvents(count: number, payload: Record<string, unknown>) {
  const now = dbNow()
  for (let i = 0; i < count; i++) {
    await db.table('outbox_events').insert({
      type: 'deal.funded',
      aggregate_type: 'deal',
      aggregate_id: i + 1,
      payload: JSON.stringify(payload),
      meta: JSON.stringify({ requestId: `req-${i}`, actorId: null }),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
  }
}

async function statuses() {
  const rows = await db.from('outbox_events').select('status').count('* as total').groupBy('status')
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.total)]))
}

test.group('outbox consumer', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('two consumers claiming at once never get the same event', async ({ assert }) => {
    const creator = await party('creator')
    await insertEvents(12, { creatorId: creator.user.id })
    const [first, second] = await Promise.all([
      claimOutboxBatch('consumer-a', 8),
      claimOutboxBatch('consumer-b', 8),
    ])
    const a = first.map((event) => event.id)
    const b = second.map((event) => event.id)
    assert.lengthOf([...new Set([...a, ...b])], a.length + b.length)
    assert.equal(a.length + b.length, 12)
  })

  test('events held by a crashed consumer are claimed again when the lease ends', async ({
    assert,
  }) => {
    const creator = await party('creator')
    await insertEvents(3, { creatorId: creator.user.id })
    const held = await claimOutboxBatch('crashed-consumer', 10)
    assert.lengthOf(held, 3)
    assert.lengthOf(await claimOutboxBatch('other', 10), 0)

    await db
      .from('outbox_events')
      .update({ claimed_until: toDbTimestamp(DateTime.now().minus({ seconds: 1 })) })
    const { seen, counters } = await consumeOutboxBatch(10)
    assert.equal(seen, 3)
    assert.equal(counters.done, 3)
    const notifications = await db.from('notifications').count('* as total').first()
    assert.equal(Number(notifications.total), 3)
  })

  test('a failing handler is retried with backoff, then dead; others go on', async ({ assert }) => {
    const creator = await party('creator')
    await insertEvents(2, { creatorId: creator.user.id })
    await db.rawQuery('ALTER TABLE notifications RENAME TO notifications_away')
    const backoffBaseMs = workersConfig.outbox.backoffBaseMs
    // A delay of 100–200 ms from early in a second: a retry time cut to the
    // second (SQLite keeps no milliseconds) would fall before its end.
    workersConfig.outbox.backoffBaseMs = 200
    try {
      while (Date.now() % 1000 > 50) {
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      const failedAt = Date.now()
      const { counters } = await consumeOutboxBatch(10)
      assert.equal(counters.retried, 2)
      const row = await db.from('outbox_events').orderBy('id').first()
      assert.equal(row.status, 'pending')
      assert.equal(row.attempts, 1)
      const minimumDelay = retryDelayMs(1, () => 0)
      assert.isAtLeast(new Date(row.next_attempt_at).getTime(), failedAt + minimumDelay)
      assert.isString(row.last_error)
      assert.notInclude(row.last_error, 'insert')

      await db.from('outbox_events').update({
        attempts: workersConfig.outbox.maxAttempts - 1,
        next_attempt_at: dbNow(),
      })
      const last = await consumeOutboxBatch(10)
      assert.equal(last.counters.dead, 2)
      assert.deepEqual(await statuses(), { dead: 2 })
    } finally {
      workersConfig.outbox.backoffBaseMs = backoffBaseMs
      await db.rawQuery('ALTER TABLE notifications_away RENAME TO notifications')
    }
    await insertEvents(1, { creatorId: creator.user.id })
    const after = await consumeOutboxBatch(10)
    assert.equal(after.counters.done, 1)
  })

  test('the largest batch, two recipients an event, is handled in one go', async ({ assert }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const now = dbNow()
    const events = Array.from({ length: 6000 }, (_, i) => ({
      type: 'deal.refunded',
      aggregate_type: 'deal',
      aggregate_id: i + 1,
      payload: JSON.stringify({ brandId: brand.user.id, creatorId: creator.user.id }),
      meta: JSON.stringify({ requestId: `req-${i}`, actorId: null }),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    }))
    for (let start = 0; start < events.length; start += 500) {
      await db.table('outbox_events').multiInsert(events.slice(start, start + 500))
    }

    const mark = logMark()
    const { seen, counters } = await consumeOutboxBatch(10_000)
    assert.equal(seen, 6000)
    assert.equal(counters.done, 6000)
    assert.notInclude(logTextSince(mark), 'failed as a whole')
    const notifications = await db.from('notifications').count('* as total').first()
    assert.equal(Number(notifications.total), 12_000)
  }).timeout(60_000)

  test('backoff doubles per attempt, is jittered into [delay/2, delay] and capped', ({
    assert,
  }) => {
    const { backoffBaseMs, backoffCapMs } = workersConfig.outbox
    assert.equal(
      retryDelayMs(1, () => 1),
      backoffBaseMs
    )
    assert.equal(
      retryDelayMs(1, () => 0),
      backoffBaseMs / 2
    )
    assert.equal(
      retryDelayMs(3, () => 1),
      backoffBaseMs * 4
    )
    assert.equal(
      retryDelayMs(50, () => 1),
      backoffCapMs
    )
    assert.equal(
      retryDelayMs(50, () => 0),
      backoffCapMs / 2
    )
  })

  test('admins list dead events and retry one; others may not', async ({ client, assert }) => {
    const creator = await party('creator')
    await insertEvents(2, { creatorId: creator.user.id })
    await db.from('outbox_events').update({ status: 'dead', attempts: 8, last_error: 'boom' })
    const [dead] = await db.from('outbox_events').orderBy('id').select('id')
    const admin = await tokenOf('admin')

    const list = await client.get('/api/admin/outbox?status=dead').bearerToken(admin)
    list.assertStatus(200)
    assert.equal(list.body().data.total, 2)
    assert.notProperty(list.body().data.items[0], 'payload')

    const retried = await client.post(`/api/admin/outbox/${dead.id}/retry`).bearerToken(admin)
    retried.assertStatus(200)
    assert.include(retried.body().data.event, { status: 'pending', attempts: 0 })
    const again = await client.post(`/api/admin/outbox/${dead.id}/retry`).bearerToken(admin)
    again.assertStatus(409)

    const forbidden = await client.get('/api/admin/outbox').bearerToken(creator.token)
    forbidden.assertStatus(403)
    const unknown = await client.post('/api/admin/outbox/999999/retry').bearerToken(admin)
    unknown.assertStatus(404)

    await consumeOutboxBatch(10)
    assert.deepEqual(await statuses(), { dead: 1, done: 1 })
  })

  test('/api/health lists worker heartbeats and reports a stale one as degraded', async ({
    client,
    assert,
  }) => {
    const heartbeat = new WorkerHeartbeat('outbox', 'test-instance')
    await heartbeat.beat({ done: 3 })
    let health = await client.get('/api/health')
    health.assertStatus(200)
    assert.equal(health.body().data.status, 'ok')
    assert.deepInclude(health.body().data.checks.workers[0], {
      worker: 'outbox',
      instance: 'test-instance',
      stale: false,
    })

    await db.from('worker_heartbeats').update({
      last_tick_at: toDbTimestamp(
        DateTime.now().minus({ milliseconds: workersConfig.staleAfterMs + 5000 })
      ),
    })
    health = await client.get('/api/health')
    health.assertStatus(200)
    assert.equal(health.body().data.status, 'degraded')
    assert.isTrue(health.body().data.checks.workers[0].stale)

    await heartbeat.stop()
    health = await client.get('/api/health')
    assert.equal(health.body().data.status, 'ok')
    assert.lengthOf(health.body().data.checks.workers, 0)
  })

  test("a worker started after one died without stopping clears the dead one's stale heartbeat", async ({
    client,
    assert,
  }) => {
    const staleTick = toDbTimestamp(
      DateTime.now().minus({ milliseconds: workersConfig.staleAfterMs + 5000 })
    )
    const dead = new WorkerHeartbeat('outbox', 'killed-instance')
    await dead.beat({ done: 1 })
    const sibling = new WorkerHeartbeat('outbox', 'live-sibling')
    await sibling.beat({ done: 1 })
    const otherWorker = new WorkerHeartbeat('telegram', 'killed-telegram')
    await otherWorker.beat({ sent: 1 })
    await db
      .from('worker_heartbeats')
      .whereIn('instance', ['killed-instance', 'killed-telegram'])
      .update({ last_tick_at: staleTick })
    assert.equal((await client.get('/api/health')).body().data.status, 'degraded')

    const restarted = new WorkerHeartbeat('outbox', 'restarted-instance')
    await restarted.beat({ done: 0 })

    const left = await db.from('worker_heartbeats').orderBy('instance').select('instance')
    assert.deepEqual(
      left.map((row) => row.instance),
      ['killed-telegram', 'live-sibling', 'restarted-instance'],
      'only the stale outbox row goes; a stale telegram row waits for a telegram worker'
    )
    await otherWorker.stop()
    const health = await client.get('/api/health')
    assert.equal(health.body().data.status, 'ok')
    await Promise.all([sibling.stop(), restarted.stop()])
  })

  test("a worker restarted before the dead one's row went stale clears it once it does", async ({
    client,
    assert,
  }) => {
    const dead = new WorkerHeartbeat('outbox', 'killed-moments-ago')
    await dead.beat({ done: 1 })
    const restarted = new WorkerHeartbeat('outbox', 'restarted-at-once')
    await restarted.beat({ done: 0 })
    assert.lengthOf(await db.from('worker_heartbeats'), 2, 'a fresh row may be a live sibling')

    await db
      .from('worker_heartbeats')
      .where('instance', 'killed-moments-ago')
      .update({
        last_tick_at: toDbTimestamp(
          DateTime.now().minus({ milliseconds: workersConfig.staleAfterMs + 5000 })
        ),
      })
    await restarted.beat({ done: 1 })

    const health = await client.get('/api/health')
    assert.equal(health.body().data.status, 'ok')
    assert.deepEqual(
      health.body().data.checks.workers.map((worker: { instance: string }) => worker.instance),
      ['restarted-at-once']
    )
    await restarted.stop()
  })

  test('outbox:consume refuses to start with a pending migration, in one line', async ({
    assert,
  }) => {
    const last = await db.from('adonis_schema').orderBy('id', 'desc').firstOrFail()
    await db.from('adonis_schema').where('id', last.id).delete()
    try {
      const command = await ace.create(OutboxConsume, ['--once'])
      command.ui.switchMode('raw')
      await command.exec()
      assert.equal(command.exitCode, 1)
      const lines = command.ui.logger.getLogs().map((log) => log.message)
      assert.lengthOf(lines, 1)
      assert.include(lines[0], 'migrations not current')
      assert.include(lines[0], 'run "node ace db:deploy"')
    } finally {
      await db.table('adonis_schema').insert(last)
    }
  })

  test('outbox:consume refuses {flags} in one line, before touching anything')
    .with([
      { flags: ['--batch-size=0'], problem: '--batch-size must be a whole number from 1 to 10000' },
      {
        flags: ['--batch-size=-5'],
        problem: '--batch-size must be a whole number from 1 to 10000',
      },
      {
        flags: ['--batch-size=2.5'],
        problem: '--batch-size must be a whole number from 1 to 10000',
      },
      {
        flags: ['--idle-ms=-1'],
        problem: '--idle-ms must be a whole number of milliseconds from 0 to 60000',
      },
    ])
    .run(async ({ assert }, { flags, problem }) => {
      const creator = await party('creator')
      await db.table('outbox_events').insert({
        type: 'deal.funded',
        aggregate_type: 'deal',
        aggregate_id: 1,
        payload: JSON.stringify({ creatorId: creator.user.id }),
        meta: JSON.stringify({ requestId: 'flags', actorId: null }),
        status: 'pending',
        attempts: 0,
        next_attempt_at: dbNow(),
        created_at: dbNow(),
      })
      const command = await ace.create(OutboxConsume, ['--once', ...flags])
      command.ui.switchMode('raw')
      await command.exec()
      assert.equal(command.exitCode, 1)
      assert.deepEqual(
        command.ui.logger.getLogs().map((log) => log.message),
        [`[ red(error) ] outbox:consume: ${problem}`]
      )
      const event = await db.from('outbox_events').firstOrFail()
      assert.equal(event.status, 'pending')
    })
})
