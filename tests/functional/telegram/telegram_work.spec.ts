import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { logMark, logTextSince } from '#tests/support/logs'
import { startFakeTelegram, type FakeTelegram } from '#tests/support/fake_telegram_api'
import { startCommand } from '#tests/support/telegram_updates'
import { dealIn, party } from '#tests/support/marketplace'
import { resetRateLimits } from '#tests/support/auth'
import { appUrl } from '#config/app'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import {
  bindChat,
  deliveryOf,
  dueNotificationWithoutDeliveriesTable,
  insertNotification,
  insertUsers,
} from '#tests/support/telegram_deliveries'

/**
 * Runs `node ace telegram:work` as a real process against the test
 * database, with the environment given (undefined removes a variable).
 */
function startWorker(args: string[], env: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info' }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) {
      delete childEnv[name]
    } else {
      childEnv[name] = value
    }
  }
  const child = spawn(process.execPath, ['ace', 'telegram:work', ...args], {
    cwd: app.makePath(),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  let running = true
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running = false
      resolve(code)
    })
  )
  started.push(child)
  return { child, exited, output: () => output, running: () => running }
}

/** Every worker a test started; one still running when its test ends is killed. */
const started: ChildProcess[] = []

function killLeftovers() {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
    }
  }
}

function fakeEnv(fake: FakeTelegram, extra: Record<string, string> = {}) {
  return {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: undefined,
    ...extra,
  }
}

function outputLines(text: string) {
  return text.split('\n').filter((line) => line.trim() !== '')
}

async function count(table: string, where: Record<string, unknown> = {}) {
  const row = await db.from(table).where(where).count('* as total').first()
  return Number(row.total)
}

test.group('telegram:work preflight', () => {
  test('without a token: one clear line and exit 1', async ({ assert }) => {
    const worker = startWorker(['--once'], { TELEGRAM_BOT_TOKEN: undefined })
    assert.equal(await worker.exited, 1)
    const lines = outputLines(worker.output())
    assert.lengthOf(lines, 1, worker.output())
    assert.include(lines[0], 'telegram:work cannot start: TELEGRAM_BOT_TOKEN is not set')
  })

  test('a token of the wrong shape: one clear line, exit 1, the token not echoed', async ({
    assert,
  }) => {
    const token = '12345:not-a-real-secret'
    const worker = startWorker(['--once'], { TELEGRAM_BOT_TOKEN: token })
    assert.equal(await worker.exited, 1)
    const lines = outputLines(worker.output())
    assert.lengthOf(lines, 1, worker.output())
    assert.include(lines[0], 'TELEGRAM_BOT_TOKEN does not look like a bot token')
    assert.notInclude(worker.output(), token)
  })

  test('a webhook Telegram would refuse: {problem}')
    .with([
      {
        url: 'https://collab.example/api/telegram/webhook',
        secret: 'bad+secret=',
        problem: 'TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -',
      },
      {
        url: 'http://collab.example/api/telegram/webhook',
        secret: 'good_secret-1',
        problem: 'TELEGRAM_WEBHOOK_URL must be an https:// URL',
      },
    ])
    .run(async ({ assert }, { url, secret, problem }) => {
      const worker = startWorker(['--once'], {
        TELEGRAM_BOT_TOKEN: '12345:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
        TELEGRAM_WEBHOOK_URL: url,
        TELEGRAM_WEBHOOK_SECRET: secret,
      })
      assert.equal(await worker.exited, 1)
      const lines = outputLines(worker.output())
      assert.lengthOf(lines, 1, worker.output())
      assert.include(lines[0], `telegram:work cannot start: ${problem}`)
      assert.notInclude(worker.output(), secret === 'bad+secret=' ? secret : 'never')
    })

  test('--idle-ms={idleMs}: one clear line and exit 1, before any work')
    .with([{ idleMs: '-1' }, { idleMs: '60001' }, { idleMs: '2.5' }])
    .run(async ({ assert }, { idleMs }) => {
      const worker = startWorker(['--once', `--idle-ms=${idleMs}`], {
        TELEGRAM_BOT_TOKEN: '12345:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
      })
      assert.equal(await worker.exited, 1)
      const lines = outputLines(worker.output())
      assert.lengthOf(lines, 1, worker.output())
      assert.include(
        lines[0],
        'telegram:work: --idle-ms must be a whole number of milliseconds from 0 to 60000'
      )
    })
})

test.group('telegram:work process', (group) => {
  let fake: FakeTelegram
  group.each.setup(async () => {
    await truncateAll()
    fake = await startFakeTelegram()
    return async () => {
      killLeftovers()
      await fake.close()
    }
  })
  group.each.timeout(90_000)

  test('--once delivers what is due, takes in updates, exits 0; the token reaches no output and no log', async ({
    assert,
  }) => {
    const [bound, unbound] = await insertUsers(2)
    await bindChat(bound, 6001)
    const sentId = await insertNotification(bound)
    const skippedId = await insertNotification(unbound)
    fake.pushUpdate(startCommand(6099))
    const mark = logMark()

    const worker = startWorker(['--once'], fakeEnv(fake))
    assert.equal(await worker.exited, 0, worker.output())

    assert.equal((await deliveryOf(sentId)).status, 'sent')
    assert.equal((await deliveryOf(skippedId)).status, 'skipped')
    assert.lengthOf(fake.sent(6001), 1)
    assert.lengthOf(fake.sent(6099), 1, 'the bot answered /start')
    assert.include(worker.output(), 'sent=1')
    assert.include(worker.output(), 'skipped_not_bound=1')
    assert.equal(await count('worker_heartbeats'), 0)

    const everything = worker.output() + logTextSince(mark)
    assert.notInclude(everything, fake.token)
    assert.notInclude(everything, fake.token.split(':')[1])
  })

  test('--once whose delivery queries fail: one clear line and exit 1, not a hang or a 0', async ({
    assert,
    cleanup,
  }) => {
    await dueNotificationWithoutDeliveriesTable(6201, cleanup)

    const worker = startWorker(['--once'], fakeEnv(fake))
    const exitCode = await Promise.race([
      worker.exited,
      sleep(30_000, 'still running', { ref: false }),
    ])

    assert.equal(exitCode, 1, worker.output())
    const failures = outputLines(worker.output()).filter((line) =>
      line.includes('telegram:work --once: the delivery pass stopped on a failure')
    )
    assert.lengthOf(failures, 1, worker.output())
    assert.include(failures[0], 'telegram_deliveries')
    assert.lengthOf(fake.sent(6201), 0)
  })

  test('SIGTERM finishes the message in hand, gives back the rest and exits 0', async ({
    assert,
  }) => {
    const users = await insertUsers(61)
    const hanging = 7000
    await bindChat(users[0], hanging)
    fake.script(hanging, 'hang')
    const ids = [await insertNotification(users[0])]
    for (const [index, userId] of users.slice(1).entries()) {
      await bindChat(userId, 7001 + index)
      ids.push(await insertNotification(userId))
    }

    const worker = startWorker(
      ['--idle-ms=100'],
      fakeEnv(fake, { TELEGRAM_REQUEST_TIMEOUT_SECONDS: '2' })
    )
    for (
      let i = 0;
      i < 800 && worker.running() && fake.requests.every((r) => r.chatId !== hanging);
      i++
    ) {
      await sleep(50)
    }
    assert.isTrue(
      fake.requests.some((request) => request.chatId === hanging),
      worker.output()
    )
    const heartbeat = await db.from('worker_heartbeats').where('worker', 'telegram').first()
    assert.exists(heartbeat)
    worker.child.kill('SIGTERM')
    const code = await Promise.race([worker.exited, sleep(20_000).then(() => 'timeout')])
    assert.equal(code, 0, worker.output())

    const inHand = await deliveryOf(ids[0])
    assert.equal(inHand.status, 'pending')
    assert.equal(inHand.attempts, 1)
    assert.match(inHand.last_error, /timed out/)
    assert.equal(await count('telegram_deliveries', { status: 'sending' }), 0)
    let sent = 0
    for (const [index, id] of ids.slice(1).entries()) {
      const delivery = await deliveryOf(id)
      const requests = fake.requests.filter((request) => request.chatId === 7001 + index)
      if (delivery.status === 'sent') {
        sent += 1
        assert.lengthOf(requests, 1)
      } else {
        assert.equal(delivery.status, 'pending')
        assert.isNull(delivery.claimed_by, 'given back')
        assert.lengthOf(requests, 0)
      }
    }
    assert.isBelow(sent, 60, 'stopped before the end')
    assert.equal(await count('worker_heartbeats'), 0)
  })

  test('the whole flow: API code, /start in the bot, then a notification delivered with its deep link', async ({
    client,
    assert,
  }) => {
    await resetRateLimits()
    const creator = await party('creator')
    const brand = await party('brand')
    const chatId = 6200
    const response = await client.post('/api/telegram/binding').bearerToken(creator.token)
    response.assertStatus(201)
    fake.pushUpdate(startCommand(chatId, response.body().data.code))

    const binding = startWorker(['--once'], fakeEnv(fake))
    assert.equal(await binding.exited, 0, binding.output())
    const shown = await client.get('/api/telegram/binding').bearerToken(creator.token)
    assert.equal(shown.body().data.binding.status, 'active')
    assert.lengthOf(fake.sent(chatId), 1, 'the bot confirmed the binding')

    const deal = await dealIn('funded', brand.user, creator.user)
    await consumeOutboxBatch(500)
    const delivery = startWorker(['--once'], fakeEnv(fake))
    assert.equal(await delivery.exited, 0, delivery.output())

    // The creator hears of the approved application and of the funding; the
    // brand (application received) has no binding.
    const texts = fake.sent(chatId).map((request) => request.payload)
    assert.lengthOf(texts, 3)
    const funded = texts.find((payload) => payload.text.includes('Сделка оплачена'))
    assert.exists(funded)
    assert.deepEqual(funded!.reply_markup.inline_keyboard[0][0], {
      text: 'Открыть сделку',
      url: `${appUrl}/deals/${deal.id}`,
    })
    const rows = await db
      .from('telegram_deliveries')
      .orderBy('id')
      .select('user_id', 'status', 'chat_id', 'last_error')
    assert.sameDeepMembers(
      rows.map((row) => [
        row.user_id,
        row.status,
        row.chat_id && Number(row.chat_id),
        row.last_error,
      ]),
      [
        [brand.user.id, 'skipped', null, 'not_bound'],
        [creator.user.id, 'sent', chatId, null],
        [creator.user.id, 'sent', chatId, null],
      ]
    )
  })
})
