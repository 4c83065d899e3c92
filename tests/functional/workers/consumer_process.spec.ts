import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { dbNow } from '#services/database/timestamps'
import { truncateAll } from '#tests/support/database'
import { insertLapsedInvites, party } from '#tests/support/marketplace'
import { INVITE_EXPIRY_BATCH } from '#commands/outbox_consume'

/**
 * Runs `node ace outbox:consume` as a real process against the test
 * database, with a short lease so that a killed consumer's events come back
 * quickly.
 */
function startConsumer(args: string[] = [], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['ace', 'outbox:consume', '--idle-ms=100', ...args], {
    cwd: app.makePath(),
    env: { ...process.env, NODE_ENV: 'test', OUTBOX_LEASE_MS: '1000', LOG_LEVEL: 'warn', ...env },
    stdio: 'ignore',
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited }
}

async function insertEvents(howMany: number, creatorId: number, from = 0) {
  const now = dbNow()
  const rows = Array.from({ length: howMany }, (_, i) => ({
    type: 'deal.funded',
    aggregate_type: 'deal',
    aggregate_id: from + i + 1,
    payload: JSON.stringify({ creatorId }),
    meta: JSON.stringify({ requestId: `kill-test-${from + i}`, actorId: null }),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  }))
  await db.table('outbox_events').multiInsert(rows)
}

/**
 * Keeps inserting events in small bursts until stopped, so that the consumer
 * always has a backlog: the kill then lands while it holds claimed events.
 */
function keepInserting(creatorId: number, from: number) {
  let inserted = 0
  let stopped = false
  const done = (async () => {
    while (!stopped) {
      await insertEvents(10, creatorId, from + inserted)
      inserted += 10
      await sleep(50)
    }
  })()
  return {
    async stop() {
      stopped = true
      await done
      return inserted
    },
  }
}

async function count(table: string, where: Record<string, unknown> = {}) {
  const row = await db.from(table).where(where).count('* as total').first()
  return Number(row.total)
}

test.group('outbox consumer process', (group) => {
  group.each.setup(() => truncateAll())
  group.each.timeout(120_000)

  test('a backlog of lapsed invites is worked off a batch a turn, well within the minute between turns', async ({
    assert,
  }) => {
    const backlog = 2 * INVITE_EXPIRY_BATCH + 10
    await insertLapsedInvites(backlog)
    const consumer = startConsumer()
    try {
      const deadline = Date.now() + 30_000
      while ((await count('invites', { status: 'pending' })) > 0 && Date.now() < deadline) {
        await sleep(200)
      }
      assert.equal(await count('invites', { status: 'expired' }), backlog)
    } finally {
      consumer.child.kill('SIGTERM')
    }
    assert.equal(await Promise.race([consumer.exited, sleep(15_000).then(() => 'timeout')]), 0)
  })

  test('{signal}{pm2} finishes the batch in hand, removes the heartbeat and exits 0')
    .with([
      { signal: 'SIGTERM' as const, pm2: '' },
      { signal: 'SIGINT' as const, pm2: ' under pm2' },
    ])
    .run(async ({ assert, cleanup }, { signal, pm2 }) => {
      const creator = await party('creator')
      await insertEvents(20, creator.user.id)
      // pm2 stops a process with SIGINT and marks it with pm_id.
      const consumer = startConsumer([], pm2 ? { pm_id: '0' } : {})
      cleanup(() => {
        consumer.child.kill('SIGKILL')
      })
      for (let i = 0; i < 100 && (await count('worker_heartbeats')) === 0; i++) {
        await sleep(100)
      }
      consumer.child.kill(signal)
      const code = await Promise.race([consumer.exited, sleep(15_000).then(() => 'timeout')])
      assert.equal(code, 0)
      assert.equal(await count('worker_heartbeats'), 0)
      assert.equal(await count('outbox_events', { status: 'processing' }), 0)
    })

  test('its own queries failing for a while: it logs, pauses, and goes on when they work again', async ({
    assert,
    cleanup,
  }) => {
    const creator = await party('creator')
    const consumer = startConsumer()
    cleanup(() => {
      consumer.child.kill('SIGKILL')
    })
    for (let i = 0; i < 100 && (await count('worker_heartbeats')) === 0; i++) {
      await sleep(100)
    }
    await db.rawQuery('alter table outbox_events rename to outbox_events_away')
    await sleep(1500)
    await db.rawQuery('alter table outbox_events_away rename to outbox_events')
    await insertEvents(5, creator.user.id)

    for (let i = 0; i < 150 && (await count('notifications')) < 5; i++) {
      await sleep(100)
    }
    assert.equal(await count('notifications'), 5, 'the consumer outlived the failures')
    consumer.child.kill('SIGTERM')
    assert.equal(await Promise.race([consumer.exited, sleep(15_000).then(() => 'timeout')]), 0)
  })

  test('kill -9 mid-batch, again and again, while events keep coming: none lost, none doubled', async ({
    assert,
  }) => {
    const creator = await party('creator')
    const rounds = 10
    let inserted = 0
    let killedHoldingClaims = 0
    for (let round = 0; round < rounds; round++) {
      const producer = keepInserting(creator.user.id, inserted)
      const consumer = startConsumer(['--batch-size=10'])
      // Kill the moment it holds claimed events, so they are left mid-batch.
      const deadline = Date.now() + 15_000
      while (
        Date.now() < deadline &&
        (await count('outbox_events', { status: 'processing' })) === 0
      ) {
        await sleep(2)
      }
      consumer.child.kill('SIGKILL')
      await consumer.exited
      inserted += await producer.stop()
      if ((await count('outbox_events', { status: 'processing' })) > 0) {
        killedHoldingClaims += 1
      }
    }
    // A kill can land just between two batches; most must not.
    assert.isAtLeast(killedHoldingClaims, rounds / 2, 'consumers killed holding claims')
    // Let the leases of the killed consumers run out, then drain.
    await sleep(1200)
    const drain = startConsumer(['--once'])
    assert.equal(await drain.exited, 0)

    assert.equal(await count('outbox_events', { status: 'done' }), inserted)
    assert.equal(await count('notifications'), inserted)
    const duplicates = await db
      .from('notifications')
      .select('event_id')
      .count('* as total')
      .groupBy('event_id')
      .havingRaw('count(*) > 1')
    assert.lengthOf(duplicates, 0)
  })
})
