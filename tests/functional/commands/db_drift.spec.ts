import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, extname } from 'node:path'
import ace from '@adonisjs/core/services/ace'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import pg from 'pg'
import DbDeploy from '#commands/db_deploy'
import DbDrift from '#commands/db_drift'
import { rebuildDatabase } from '#tests/support/database'
import {
  addColumn,
  dropColumn,
  dropIndex,
  makeNotNull,
  replaceCheck,
} from '#tests/support/schema_surgery'
import { withUnreachableDatabase } from '#tests/support/unreachable_database'
import { runAceProcess } from '#tests/support/commands'

async function run(command: typeof DbDrift | typeof DbDeploy, args: string[] = []) {
  const instance = await ace.create(command, args)
  instance.ui.switchMode('raw')
  await instance.exec()
  // Raw mode marks each line with its level, e.g. "[ red(error) ] ".
  const lines = instance.ui.logger
    .getLogs()
    .map((log) => log.message.replace(/^\[ \w+\(\w+\) \] /, ''))
  return { exitCode: instance.exitCode, lines, output: lines.join('\n') }
}

/**
 * Scratch databases (PostgreSQL) or files (SQLite) a run left behind.
 */
async function leftoverScratches() {
  const connection = db.connection()
  if (connection.dialect.name === 'postgres') {
    const result = await connection.rawQuery(
      "SELECT datname FROM pg_database WHERE datname LIKE current_database() || '\\_scratch\\_%'"
    )
    return result.rows.map((row: { datname: string }) => row.datname)
  }
  const filename: string = (db.manager.get(db.primaryConnectionName)!.config as any).connection
    .filename
  const prefix = `${basename(filename, extname(filename))}_scratch_`
  return (await readdir(tmpdir())).filter((name) => name.startsWith(prefix))
}

const STACK_FRAME = /^\s+at /m

test.group('node ace db:drift', (group) => {
  group.each.timeout(120_000)

  test('a database migrated from zero has no drift, and the scratch database is dropped', async ({
    assert,
  }) => {
    const { exitCode, lines } = await run(DbDrift)
    assert.equal(exitCode, 0)
    assert.equal(lines.at(-1), 'No drift: the live schema matches the migrations')
    assert.deepEqual(await leftoverScratches(), [])
  })

  test('hand-made ALTER TABLEs are each reported by name, with a non-zero exit', async ({
    assert,
    cleanup,
  }) => {
    cleanup(() => rebuildDatabase())
    await addColumn('offers', 'legacy_flag')
    await dropIndex('telegram_bindings_chat_id_index')
    await makeNotNull('deal_submissions', 'note')

    const { exitCode, lines } = await run(DbDrift)
    assert.equal(exitCode, 1)
    const differences = lines.filter((line) => !/^(Reading|Migrating|Comparing|Drift)/.test(line))
    assert.sameMembers(differences, [
      'offers.legacy_flag: column in live database, not created by the migrations',
      'telegram_bindings: index telegram_bindings_chat_id_index missing in live database',
      'deal_submissions.note: NOT NULL in live database, nullable in migrations',
    ])
    assert.equal(lines.at(-1), 'Drift: 3 difference(s) between the live schema and the migrations')
    assert.deepEqual(await leftoverScratches(), [])
  })

  test('a changed CHECK constraint is reported; --json gives one document for machines', async ({
    assert,
    cleanup,
  }) => {
    cleanup(() => rebuildDatabase())
    await replaceCheck('deals', 'deals_amount_check', 'amount >= 0')

    const { exitCode, lines } = await run(DbDrift, ['--json'])
    assert.equal(exitCode, 1)
    assert.lengthOf(lines, 1)
    const report = JSON.parse(lines[0])
    assert.isFalse(report.ok)
    assert.deepEqual(report.pendingMigrations, [])
    assert.lengthOf(report.differences, 1)
    assert.equal(report.differences[0].kind, 'changed')
    assert.equal(report.differences[0].table, 'deals')
    assert.match(
      report.differences[0].message,
      /^deals: check deals_amount_check is \(amount >= 0\) in live database, migrations give \(amount > 0\)$/
    )
  })

  test('the ledger guard dropped, switched off or emptied is drift (PostgreSQL)', async ({
    assert,
    cleanup,
  }) => {
    cleanup(() => rebuildDatabase())
    await db.rawQuery('DROP TRIGGER ledger_transactions_append_only ON ledger_transactions')
    await db.rawQuery('ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only')

    const { exitCode, lines } = await run(DbDrift)
    assert.equal(exitCode, 1)
    const differences = lines.filter((line) => !/^(Reading|Migrating|Comparing|Drift)/.test(line))
    assert.sameMembers(differences, [
      'ledger_transactions: trigger ledger_transactions_append_only missing in live database',
      'ledger_entries: trigger ledger_entries_append_only is disabled in live database, migrations give enabled',
    ])

    await rebuildDatabase()
    await db.rawQuery(
      'ALTER TABLE ledger_entries ENABLE REPLICA TRIGGER ledger_entries_append_only'
    )
    const replicaOnly = await run(DbDrift)
    assert.equal(replicaOnly.exitCode, 1)
    assert.include(
      replicaOnly.output,
      'ledger_entries: trigger ledger_entries_append_only is enabled on replicas only in live database, migrations give enabled'
    )

    await rebuildDatabase()
    const [trigger] = (
      await db.rawQuery(
        "SELECT tgfoid::regprocedure::text AS fn FROM pg_trigger WHERE tgname = 'ledger_entries_append_only'"
      )
    ).rows
    await db.rawQuery(
      `CREATE OR REPLACE FUNCTION ${trigger.fn} RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`
    )
    const emptied = await run(DbDrift)
    assert.equal(emptied.exitCode, 1)
    assert.include(
      emptied.output,
      "ledger_entries: trigger ledger_entries_append_only runs a function whose body differs from the migrations' in live database"
    )
  }).skip(process.env.DB_CONNECTION !== 'pg', 'the ledger triggers are PostgreSQL only')

  test('a trigger made by hand is drift (SQLite)', async ({ assert, cleanup }) => {
    cleanup(() => rebuildDatabase())
    await db.rawQuery('CREATE TRIGGER offers_touch AFTER UPDATE ON offers BEGIN SELECT 1; END')
    const { exitCode, output } = await run(DbDrift)
    assert.equal(exitCode, 1)
    assert.include(
      output,
      'offers: trigger offers_touch in live database, not created by the migrations'
    )
  }).skip(process.env.DB_CONNECTION === 'pg', 'the SQLite variant')

  test('an unreachable database gives one clear line and exit 1', async ({ assert }) => {
    await withUnreachableDatabase(async () => {
      const { exitCode, lines, output } = await run(DbDrift)
      assert.equal(exitCode, 1)
      assert.lengthOf(lines, 1)
      assert.match(lines[0], /^Cannot reach the database \(connection \w+\): \S/)
      assert.notMatch(output, STACK_FRAME)

      const json = await run(DbDrift, ['--json'])
      assert.equal(json.exitCode, 1)
      assert.lengthOf(json.lines, 1)
      assert.deepEqual(JSON.parse(json.lines[0]), { ok: false, error: lines[0] })
    })
  })

  test('an unknown --connection gives one clear line and exit 1', async ({ assert }) => {
    const { exitCode, lines } = await run(DbDrift, ['--connection=oracle'])
    assert.equal(exitCode, 1)
    assert.deepEqual(lines, ['Unknown connection "oracle" (configured: sqlite, pg)'])
  })

  test('a --connection pg without DATABASE_URL gives one clear line and exit 1, before connecting', async ({
    assert,
  }) => {
    for (const command of ['db:drift', 'db:deploy']) {
      // PGPORT points the driver's own defaults at nothing, should it ever use them.
      const { exitCode, output } = await runAceProcess([command, '--connection=pg'], {
        DB_CONNECTION: 'sqlite',
        DATABASE_URL: '',
        PGPORT: '1',
      })
      assert.equal(exitCode, 1, command)
      assert.lengthOf(output.trim().split('\n'), 1, command)
      assert.include(output, 'Connection "pg" needs DATABASE_URL (a postgres:// URL)', command)
    }
  })

  test('a SQLITE_PATH in a missing folder is not created: one clear line and exit 1', async ({
    assert,
  }) => {
    const missingFolder = `tmp/no-such-folder-${process.pid}`
    const { exitCode, output } = await runAceProcess(['db:drift'], {
      DB_CONNECTION: 'sqlite',
      SQLITE_PATH: `${missingFolder}/collab.sqlite3`,
    })
    assert.equal(exitCode, 1)
    assert.lengthOf(output.trim().split('\n'), 1)
    assert.match(output, /Cannot reach the database \(connection sqlite\): \S/)
    assert.notMatch(output, STACK_FRAME)
    assert.isFalse(existsSync(app.makePath(missingFolder)))
  })

  test('bad flags are refused in one line with a non-zero exit status', async ({ assert }) => {
    const unknown = await runAceProcess(['db:drift', '--bogus'])
    assert.equal(unknown.exitCode, 1)
    assert.equal(
      unknown.output.trim(),
      'ERROR   Unknown flag "--bogus". The mentioned flag is not accepted by the command'
    )

    const noValue = await runAceProcess(['db:deploy', '--connection'])
    assert.equal(noValue.exitCode, 1)
    assert.equal(noValue.output.trim(), 'ERROR   Missing value for option "connection"')
  })
})

test.group('node ace db:deploy', (group) => {
  group.each.timeout(120_000)

  test('a fresh deploy migrates an empty database from zero and reports no drift', async ({
    assert,
    cleanup,
  }) => {
    cleanup(() => rebuildDatabase())
    const connection = db.connection()
    await connection.dialect.dropAllTables(
      connection.dialect.name === 'postgres' ? ['public'] : undefined
    )

    const { exitCode, lines } = await run(DbDeploy)
    assert.equal(exitCode, 0)
    assert.include(lines, 'migrated database/migrations/0001_create_users_table')
    assert.include(lines, 'migrated database/migrations/0032_create_telegram_bindings_table')
    assert.equal(lines.at(-1), 'Deployed: migrations applied, no drift')

    const again = await run(DbDeploy)
    assert.equal(again.exitCode, 0)
    assert.include(again.lines, 'No pending migrations')
  })

  test('a deploy while another holds the migration lock says so and runs nothing', async ({
    assert,
    cleanup,
  }) => {
    const config = db.manager.get(db.primaryConnectionName)!.config as { connection: unknown }
    const other = new pg.Client(config.connection as pg.ClientConfig)
    await other.connect()
    cleanup(() => other.end())
    await other.query('SELECT pg_advisory_lock(1)')

    const { exitCode, lines, output } = await run(DbDeploy)
    assert.equal(exitCode, 1)
    assert.include(
      lines.at(-1),
      'Another deploy is migrating this database (connection pg); no migration was run here.'
    )
    assert.notInclude(output, 'Migration completed')

    await other.query('SELECT pg_advisory_unlock(1)')
    const after = await run(DbDeploy)
    assert.equal(after.exitCode, 0)
  }).skip(process.env.DB_CONNECTION !== 'pg', 'PostgreSQL advisory locks')

  test('a dropped telegram_bindings.attempts is caught before the app starts: exit 1', async ({
    assert,
    cleanup,
  }) => {
    cleanup(() => rebuildDatabase())
    await dropColumn('telegram_bindings', 'attempts')

    const { exitCode, lines, output } = await run(DbDeploy)
    assert.equal(exitCode, 1)
    assert.include(lines, 'telegram_bindings.attempts: column missing in live database')
    assert.include(
      lines,
      'telegram_bindings: check telegram_bindings_attempts_check missing in live database'
    )
    assert.match(lines.at(-1)!, /^Deploy failed: the live schema differs from the migrations/)
    assert.notMatch(output, STACK_FRAME)

    // The status CI acts on is the process's own.
    const child = await runAceProcess(['db:deploy'])
    assert.equal(child.exitCode, 1)
    assert.include(child.output, 'telegram_bindings.attempts: column missing in live database')
    assert.notMatch(child.output, STACK_FRAME)
    assert.deepEqual(await leftoverScratches(), [])
  })

  test('an unreachable database gives one clear line and exit 1', async ({ assert }) => {
    await withUnreachableDatabase(async () => {
      const { exitCode, lines, output } = await run(DbDeploy)
      assert.equal(exitCode, 1)
      assert.lengthOf(lines, 1)
      assert.match(lines[0], /^Cannot reach the database \(connection \w+\): \S/)
      assert.notMatch(output, STACK_FRAME)
    })
  })
})
