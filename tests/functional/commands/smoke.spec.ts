import { test } from '@japa/runner'
import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import Smoke from '#commands/smoke'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits } from '#tests/support/auth'
import { truncateAll } from '#tests/support/database'
import { baseUrl } from '#tests/support/http'
import { adminFlags, consumeOutboxUntilStopped, unusedPort } from '#tests/support/commands'

async function runSmoke(args: string[]) {
  const command = await ace.create(Smoke, args)
  command.ui.switchMode('raw')
  await command.exec()
  const lines = command.ui.logger.getLogs().map((log) => log.message)
  return { exitCode: command.exitCode, lines, output: lines.join('\n') }
}

/**
 * A stand-in for a broken deployment: every request gets this answer.
 */
async function serverAnswering(status: number, body: unknown, requestId: string) {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId })
    response.end(JSON.stringify(body))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.close()
      await once(server, 'close')
    },
  }
}

async function offerStatuses() {
  const rows = await db.from('offers').select('status').orderBy('id')
  return rows.map((row) => row.status)
}

async function count(table: string) {
  const row = await db.from(table).count('* as total').first()
  return Number(row.total)
}

test.group('node ace smoke', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })
  group.each.timeout(120_000)

  test('walks the whole flow and the contract cases green, exit 0', async ({ assert, cleanup }) => {
    const stopConsumer = consumeOutboxUntilStopped()
    cleanup(stopConsumer)

    const { exitCode, lines, output } = await runSmoke([
      `--base-url=${baseUrl()}`,
      ...(await adminFlags()),
    ])

    assert.equal(exitCode, 0, output)
    assert.notInclude(output, 'FAILED')
    for (const step of [
      'health',
      'brand funds deal',
      'creator notified: deal_funded',
      'Idempotency-Key replay: same answer, no second effect',
      '409 IDEMPOTENCY_KEY_REUSED for the key with another body',
      'brand approves work (release)',
      'admin marks payout paid',
      'creator notified: payout_paid',
      'telegram binding code for creator',
      '401 SESSION_INVALID with the revoked token',
    ]) {
      assert.include(output, step)
    }
    assert.match(lines.at(-1)!, /smoke passed: \d+ steps/)
    // fund, release, payout approve, payout paid: the replay added nothing.
    assert.equal(await count('ledger_transactions'), 4)
    assert.equal(await count('users'), 4)
    assert.equal(await count('telegram_bindings'), 1)
    assert.deepEqual(await offerStatuses(), ['closed'], 'no offer left published for creators')
  })

  test('a run that fails after publishing its offer still closes it', async ({ assert }) => {
    const { exitCode, output } = await runSmoke([
      `--base-url=${baseUrl()}`,
      '--wait-ms=300',
      ...(await adminFlags()),
    ])

    assert.equal(exitCode, 1)
    assert.include(output, 'FAILED')
    assert.include(output, 'notified: invite_received')
    assert.deepEqual(await offerStatuses(), ['closed'])
  })

  test('--json prints one document for machines; credentials may come from the environment', async ({
    assert,
    cleanup,
  }) => {
    const stopConsumer = consumeOutboxUntilStopped()
    cleanup(stopConsumer)
    const admin = await makeUser('admin')
    process.env.SMOKE_ADMIN_EMAIL = admin.email
    process.env.SMOKE_ADMIN_PASSWORD = DEFAULT_PASSWORD
    cleanup(() => {
      delete process.env.SMOKE_ADMIN_EMAIL
      delete process.env.SMOKE_ADMIN_PASSWORD
    })

    const { exitCode, lines } = await runSmoke([`--base-url=${baseUrl()}/`, '--json'])

    assert.lengthOf(lines, 1)
    const report = JSON.parse(lines[0])
    assert.equal(exitCode, 0, lines[0])
    assert.isTrue(report.ok)
    assert.isNull(report.failure)
    assert.equal(report.baseUrl, baseUrl())
    assert.isAbove(report.steps.length, 30)
    for (const step of report.steps) {
      assert.isTrue(step.ok)
      assert.isString(step.name)
      assert.isAtLeast(step.ms, 0)
    }
  })

  test('an unreachable base URL exits 1 with one line', async ({ assert }) => {
    const port = await unusedPort()
    const { exitCode, lines } = await runSmoke([
      `--base-url=http://127.0.0.1:${port}`,
      ...(await adminFlags()),
    ])
    assert.equal(exitCode, 1)
    assert.lengthOf(lines, 1)
    assert.include(lines[0], `cannot reach http://127.0.0.1:${port}/api/health (ECONNREFUSED)`)
  })

  test('a server that never answers exits 1 with one line after --timeout-ms', async ({
    assert,
    cleanup,
  }) => {
    const silent = createServer(() => {})
    silent.listen(0, '127.0.0.1')
    await once(silent, 'listening')
    cleanup(async () => {
      silent.closeAllConnections()
      silent.close()
      await once(silent, 'close')
    })
    const { port } = silent.address() as AddressInfo

    const { exitCode, lines } = await runSmoke([
      `--base-url=http://127.0.0.1:${port}`,
      '--timeout-ms=200',
      ...(await adminFlags()),
    ])

    assert.equal(exitCode, 1)
    assert.lengthOf(lines, 1)
    assert.include(lines[0], `GET http://127.0.0.1:${port}/api/health got no answer within 200 ms`)
  })

  test('{flag} out of range exits 1 with one line, before any request')
    .with([
      { flag: '--timeout-ms=3000000000' },
      { flag: '--wait-ms=0' },
      { flag: '--wait-ms=3600001' },
    ])
    .run(async ({ assert }, { flag }) => {
      const { exitCode, lines } = await runSmoke([
        '--base-url=http://127.0.0.1:9',
        flag,
        '--admin-email=a@example.test',
        '--admin-password=whatever-password',
      ])
      assert.equal(exitCode, 1)
      assert.lengthOf(lines, 1)
      assert.include(
        lines[0],
        `${flag.split('=')[0]} must be a whole number of milliseconds from 1 to 3600000`
      )
    })

  test('missing admin credentials exit 1 with one line, before any request', async ({ assert }) => {
    const { exitCode, lines } = await runSmoke([`--base-url=${baseUrl()}`])
    assert.equal(exitCode, 1)
    assert.lengthOf(lines, 1)
    assert.include(lines[0], 'admin credentials missing')
    assert.equal(await count('users'), 0)
  })

  test('a base URL that is not http(s) exits 1 with one line', async ({ assert }) => {
    const { exitCode, lines } = await runSmoke([
      '--base-url=localhost:3333',
      ...(await adminFlags()),
    ])
    assert.equal(exitCode, 1)
    assert.lengthOf(lines, 1)
    assert.include(lines[0], '--base-url must be an http:// or https:// URL')
  })

  test('a server answering 500 fails the first step with its status, body and requestId', async ({
    assert,
    cleanup,
  }) => {
    const broken = await serverAnswering(
      500,
      {
        ok: false,
        error: { code: 'INTERNAL', message: 'boom', requestId: 'req-broken-1', retryable: true },
      },
      'req-broken-1'
    )
    cleanup(broken.close)

    const { exitCode, output } = await runSmoke([
      `--base-url=${broken.url}`,
      ...(await adminFlags()),
    ])

    assert.equal(exitCode, 1)
    assert.include(output, 'smoke failed at step "health": expected 200, got 500 INTERNAL')
    assert.include(output, 'GET /api/health → HTTP 500')
    assert.include(output, 'requestId: req-broken-1')
    assert.include(output, '"message":"boom"')
  })

  test('wrong admin credentials stop the run at the admin step, with the 401 and its requestId', async ({
    assert,
  }) => {
    const { exitCode, lines, output } = await runSmoke([
      `--base-url=${baseUrl()}`,
      '--admin-email=nobody@example.test',
      '--admin-password=not the password',
      '--json',
    ])
    assert.equal(exitCode, 1)
    assert.lengthOf(lines, 1)
    const report = JSON.parse(output)
    assert.isFalse(report.ok)
    assert.equal(report.failure.step, 'token for admin')
    assert.equal(report.failure.status, 401)
    assert.match(report.failure.requestId, new RegExp(`^smoke-${report.runId}-\\d{3}$`))
    assert.equal(report.failure.body.error.code, 'UNAUTHENTICATED')
    assert.equal(report.steps.at(-1).name, 'token for admin')
    assert.isFalse(report.steps.at(-1).ok)
  })

  test('credentials of a non-admin stop the run at the admin step and leave no token behind', async ({
    assert,
  }) => {
    const brand = await makeUser('brand')
    const { exitCode, output } = await runSmoke([
      `--base-url=${baseUrl()}`,
      `--admin-email=${brand.email}`,
      `--admin-password=${DEFAULT_PASSWORD}`,
      '--json',
    ])
    assert.equal(exitCode, 1)
    const report = JSON.parse(output)
    assert.equal(report.failure.step, 'token for admin')
    assert.include(report.failure.message, 'not an admin')
    const tokens = await db.from('auth_access_tokens').where('tokenable_id', brand.id)
    assert.deepEqual(tokens, [], 'the token issued for the check is revoked')
  })

  test('without an outbox consumer the first notification step fails, naming the consumer', async ({
    assert,
  }) => {
    const { exitCode, output } = await runSmoke([
      `--base-url=${baseUrl()}`,
      ...(await adminFlags()),
      '--wait-ms=300',
    ])
    assert.equal(exitCode, 1)
    assert.include(
      output,
      'smoke failed at step "second creator notified: invite_received": no invite_received notification'
    )
    assert.include(output, 'node ace outbox:consume')
    assert.match(output, /requestId: smoke-\w+-\d{3}/)
    // The admin's token is revoked even though the run failed.
    assert.equal(await count('auth_access_tokens'), 3)
  })
})
