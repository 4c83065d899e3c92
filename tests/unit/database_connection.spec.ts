import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { dbNow } from '#services/database/timestamps'

const onPostgres = process.env.DB_CONNECTION === 'pg'

test.group('database connection', () => {
  test('SQLite runs in WAL mode', async ({ assert }) => {
    const [journal] = await db.connection().rawQuery('PRAGMA journal_mode')
    assert.equal(String(journal.journal_mode).toLowerCase(), 'wal')
  }).skip(onPostgres, 'a SQLite setting')

  test('a SQLite transaction that reads, then writes, holds the write lock from its start', async ({
    assert,
    cleanup,
  }) => {
    // A connection of its own, as a worker process has: its writes must wait for the
    // transaction, not slip in between its read and its write.
    db.manager.add('worker_process', { ...db.manager.get('sqlite')!.config })
    const worker = db.connection('worker_process')
    cleanup(async () => {
      await db.manager.close('worker_process', true)
    })
    await worker.rawQuery('PRAGMA busy_timeout = 0')
    const now = dbNow()
    const heartbeat = (instance: string) =>
      worker.table('worker_heartbeats').insert({
        instance,
        worker: 'outbox',
        pid: 1,
        started_at: now,
        last_tick_at: now,
        counters: '{}',
      })

    await db.transaction(async (trx) => {
      await trx.from('worker_heartbeats').count('* as total')
      await assert.rejects(() => heartbeat('slipped-in'), /database is locked/)
      await trx.table('worker_heartbeats').insert({
        instance: 'in-the-transaction',
        worker: 'outbox',
        pid: 2,
        started_at: now,
        last_tick_at: now,
        counters: '{}',
      })
    })

    const rows = await db
      .from('worker_heartbeats')
      .whereIn('instance', ['slipped-in', 'in-the-transaction'])
      .select('instance')
    assert.deepEqual(
      rows.map((row) => row.instance),
      ['in-the-transaction']
    )
    await db.from('worker_heartbeats').where('instance', 'in-the-transaction').delete()
  }).skip(onPostgres, 'a SQLite setting')

  test('foreign keys are enforced', async ({ assert }) => {
    const now = dbNow()
    const orphan = db.table('offers').insert({
      brand_id: 2_000_000_000,
      title: 'Без бренда',
      brief: 'Бренда с таким id нет',
      search_text: 'без бренда',
      budget: 1000,
      currency: 'RUB',
      status: 'draft',
      created_at: now,
      updated_at: now,
    })
    await assert.rejects(() => orphan)
  })
})
