import { test } from '@japa/runner'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import ReleaseCheck from '#commands/release_check'
import { toDbTimestamp } from '#services/database/timestamps'
import { WorkerHeartbeat } from '#services/workers/worker_heartbeat'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits } from '#tests/support/auth'
import { checkMoneyRepeats } from '#services/release/check_money_repeats'
import { rebuildDatabase, truncateAll } from '#tests/support/database'
import { baseUrl } from '#tests/support/http'
import { addColumn } from '#tests/support/schema_surgery'
import { withUnreachableDatabase } from '#tests/support/unreachable_database'
import {
  adminFlags,
  consumeOutboxUntilStopped,
  runAceProcess,
  unusedPort,
} from '#tests/support/commands'

async function runCheck(args: string[]) {
  const command = await ace.create(ReleaseCheck, args)
  command.ui.switchMode('raw')
  await command.exec()
  const logs = command.ui.logger.getLogs()
  const stdout = logs.filter((log) => log.stream === 'stdout').map((log) => log.message)
  const stderr = logs.filter((log) => log.stream === 'stderr').map((log) => log.message)
  return { exitCode: command.exitCode, stdout, stderr, output: [...stdout, ...stderr].join('\n') }
}

/**
 * Both workers' heartbeats, as running workers write them.
 */
async function workersAlive() {
  const heartbeats = [
    new WorkerHeartbeat('outbox', 'release-check-outbox'),
    new WorkerHeartbeat('telegram', 'release-check-telegram'),
  ]
  for (const heartbeat of heartbeats) {
    await heartbeat.beat({ sent: 0 })
  }
  return async () => {
    for (const heartbeat of heartbeats) {
      await heartbeat.stop()
    }
  }
}

/**
 * A log file with the given lines, in a directory removed after the test.
 */
async function logFile(lines: string[], cleanup: (handler: () => Promise<void>) => void) {
  const directory = await mkdtemp(join(tmpdir(), 'release-check-'))
  cleanup(() => rm(directory, { recursive: true, force: true }))
  const file = join(directory, 'server.log')
  await writeFile(file, `${lines.join('\n')}\n`)
  return file
}

/** Lines as pino writes them: timestamps, pids and request ids are not personal data. */
const CLEAN_LINES = [
  '{"level":30,"time":1764143985123,"pid":4242,"hostname":"ci","requestId":"smoke-mwx81ly2569cba-031","msg":"request completed","status":200,"ms":12}',
  '{"level":30,"time":1764143985456,"pid":4243,"worker":"outbox","counters":{"delivered":12},"msg":"outbox batch","email":"[redacted]"}',
  '{"level":40,"time":1764143985789,"pid":4244,"worker":"telegram","deliveryId":55,"userId":7,"msg":"chat blocked the bot; binding inactive"}',
]

test.group('node ace release:check', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })
  group.each.timeout(180_000)

  test('every item green: exit 0, one JSON document on stdout, progress on stderr', async ({
    assert,
    cleanup,
  }) => {
    cleanup(consumeOutboxUntilStopped())
    cleanup(await workersAlive())
    const log = await logFile(CLEAN_LINES, cleanup)

    const { exitCode, stdout, stderr } = await runCheck([
      `--base-url=${baseUrl()}`,
      ...(await adminFlags()),
      `--logs=${log}`,
      '--json',
    ])

    assert.lengthOf(stdout, 1)
    const report = JSON.parse(stdout[0])
    assert.equal(exitCode, 0, stdout[0])
    assert.isTrue(report.ok)
    assert.deepEqual(
      report.items.map((item: { item: number; name: string; ok: boolean }) => [
        item.item,
        item.name,
        item.ok,
      ]),
      [
        [1, 'schema', true],
        [2, 'smoke', true],
        [3, 'money repeats', true],
        [4, 'workers', true],
        [5, 'logs', true],
      ]
    )
    for (const item of report.items) {
      assert.isString(item.checked)
      assert.isString(item.evidence)
      assert.deepEqual(item.details, [])
    }
    assert.include(report.items[0].evidence, '0 difference(s), 0 pending migration(s)')
    assert.include(report.items[2].evidence, '0 rows added by the repeats')
    assert.include(report.items[2].evidence, 'ledger:verify 0 violation(s)')
    assert.include(report.items[3].evidence, 'health ok')
    assert.include(report.items[4].evidence, '3 lines in 1 file(s): nothing found')
    assert.isTrue(stderr.some((line) => line.includes('[3/5] money repeats')))

    // Smoke's 4 transactions and the throwaway deal's 4: the repeats added none.
    const transactions = await db.from('ledger_transactions').count('* as total')
    assert.equal(Number(transactions[0].total), 8)
    // Every token the check issued is revoked again (smoke keeps its creators').
    const tokens = await db
      .from('auth_access_tokens')
      .whereLike('name', 'release:check %')
      .count('* as total')
    assert.equal(Number(tokens[0].total), 0)
    // Smoke's offer and the throwaway deal's: neither is left published.
    const offers = await db.from('offers').select('status')
    assert.deepEqual(
      offers.map((offer) => offer.status),
      ['closed', 'closed']
    )
  })

  test('personal data in a log is a MISS naming file:line and kind, never the value', async ({
    assert,
    cleanup,
  }) => {
    cleanup(consumeOutboxUntilStopped())
    cleanup(await workersAlive())
    const secrets = {
      email: 'anna.petrova@mail.example.com',
      token: 'clb_MTIz.c2VjcmV0LXRva2VuLXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw',
      chatId: '987654321',
    }
    const log = await logFile(
      [
        CLEAN_LINES[0],
        `{"level":30,"msg":"registered","email":"${secrets.email}"}`,
        `{"level":30,"msg":"auth","headers":{"authorization":"Bearer ${secrets.token}"}}`,
        `{"level":30,"msg":"sendMessage","chat_id":${secrets.chatId}}`,
      ],
      cleanup
    )

    const { exitCode, output } = await runCheck([
      `--base-url=${baseUrl()}`,
      ...(await adminFlags()),
      `--logs=${log}`,
    ])

    assert.equal(exitCode, 1, output)
    assert.include(output, 'MISS 5 logs: 3 finding(s) in 4 lines in 1 file(s)')
    assert.include(output, `${log}:2: e-mail (an…(29 chars))`)
    assert.include(output, `${log}:3: bearer token (cl…(`)
    assert.include(output, `${log}:4: chat id (98…(9 chars))`)
    assert.include(output, 'release:check failed: 1 of 5 item(s) MISS (logs)')
    for (const secret of Object.values(secrets)) {
      assert.notInclude(output, secret)
    }
  })

  test('drift and a stale heartbeat are each a MISS; the other items still run', async ({
    assert,
    cleanup,
  }) => {
    cleanup(() => rebuildDatabase())
    cleanup(consumeOutboxUntilStopped())
    cleanup(await workersAlive())
    await db
      .from('worker_heartbeats')
      .where('worker', 'telegram')
      .update({ last_tick_at: toDbTimestamp(DateTime.now().minus({ minutes: 10 })) })
    await addColumn('offers', 'legacy_flag')
    const log = await logFile(CLEAN_LINES, cleanup)

    const { exitCode, stdout } = await runCheck([
      `--base-url=${baseUrl()}`,
      ...(await adminFlags()),
      `--logs=${log}`,
      '--json',
    ])

    assert.equal(exitCode, 1)
    const report = JSON.parse(stdout[0])
    assert.isFalse(report.ok)
    const byName = Object.fromEntries(
      report.items.map((item: { name: string }) => [item.name, item])
    )
    assert.isFalse(byName.schema.ok)
    assert.include(byName.schema.details.join('\n'), 'offers.legacy_flag')
    assert.isFalse(byName.workers.ok)
    assert.include(byName.workers.evidence, 'health degraded')
    assert.include(
      byName.workers.details.join('\n'),
      'telegram: heartbeat of release-check-telegram is stale'
    )
    for (const name of ['smoke', 'money repeats', 'logs']) {
      assert.isTrue(byName[name].ok, `${name}: ${byName[name].evidence}`)
    }
  })

  test('the admin token it issued in-process is revoked even when the server is not this database', async ({
    assert,
    cleanup,
  }) => {
    const server = createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' })
      response.end('{"ok":false}')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    cleanup(() => new Promise((resolve) => server.close(() => resolve())))
    const { port } = server.address() as AddressInfo
    const admin = await makeUser('admin')

    const result = await checkMoneyRepeats({
      baseUrl: `http://127.0.0.1:${port}`,
      admin: { email: admin.email, password: DEFAULT_PASSWORD },
      waitMs: 1000,
      timeoutMs: 2000,
    })

    assert.isFalse(result.ok)
    const tokens = await db.from('auth_access_tokens').where('tokenable_id', admin.id)
    assert.lengthOf(tokens, 0, 'no 30-day admin token left behind')
  })

  test('an unreachable base URL exits 1 with one line', async ({ assert }) => {
    const port = await unusedPort()
    const { exitCode, stdout, stderr } = await runCheck([
      `--base-url=http://127.0.0.1:${port}`,
      ...(await adminFlags()),
    ])
    assert.equal(exitCode, 1)
    assert.lengthOf(stdout, 0)
    assert.lengthOf(stderr, 1)
    assert.include(
      stderr[0],
      `release:check cannot run: cannot reach http://127.0.0.1:${port}/api/health (ECONNREFUSED)`
    )
  })

  test('a log file that does not exist exits 1 with one line, in --json too', async ({
    assert,
  }) => {
    const args = [`--base-url=${baseUrl()}`, ...(await adminFlags()), '--logs=tmp/nope.log']
    const table = await runCheck(args)
    assert.equal(table.exitCode, 1)
    assert.lengthOf(table.stderr, 1)
    assert.include(table.stderr[0], 'release:check cannot run: --logs tmp/nope.log: no such file')

    const json = await runCheck([...args, '--json'])
    assert.equal(json.exitCode, 1)
    assert.lengthOf(json.stdout, 1)
    assert.include(JSON.parse(json.stdout[0]).error, '--logs tmp/nope.log: no such file')
  })

  test('an unreachable database exits 1 with one line', async ({ assert }) => {
    const flags = [`--base-url=${baseUrl()}`, ...(await adminFlags())]
    await withUnreachableDatabase(async () => {
      const { exitCode, stderr, output } = await runCheck(flags)
      assert.equal(exitCode, 1)
      assert.lengthOf(stderr, 1)
      assert.include(stderr[0], 'release:check cannot run: Cannot reach the database')
      assert.notMatch(output, /^\s+at /m)
    })
  })

  test('bad flags are refused in one line with a non-zero exit status', async ({ assert }) => {
    const unknown = await runAceProcess(['release:check', '--base-url=http://x', '--bogus'])
    assert.equal(unknown.exitCode, 1)
    assert.equal(
      unknown.output.trim(),
      'ERROR   Unknown flag "--bogus". The mentioned flag is not accepted by the command'
    )

    const missing = await runAceProcess(['release:check', '--json'])
    assert.equal(missing.exitCode, 1)
    assert.equal(missing.output.trim(), 'ERROR   Missing required option "base-url"')

    const notUrl = await runCheck(['--base-url=localhost:3333', ...(await adminFlags())])
    assert.equal(notUrl.exitCode, 1)
    assert.lengthOf(notUrl.stderr, 1)
    assert.include(notUrl.stderr[0], '--base-url must be an http:// or https:// URL')
  })
})
