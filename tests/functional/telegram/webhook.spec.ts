import { test } from '@japa/runner'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Bot } from 'grammy'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import telegramConfig from '#config/telegram'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { party } from '#tests/support/marketplace'
import { logLinesSince, logMark, logTextSince } from '#tests/support/logs'
import { botAgainst } from '#tests/support/fake_telegram_bot'
import {
  fakeBotToken,
  startFakeTelegram,
  type FakeTelegram,
} from '#tests/support/fake_telegram_api'
import { startCommand } from '#tests/support/telegram_updates'
import { TELEGRAM_WEBHOOK_SECRET } from '#tests/support/probes/telegram'
import { createCollabBot } from '#services/telegram/collab_bot'
import { runUpdateIntake } from '#services/telegram/update_intake'
import TelegramWebhook, { WEBHOOK_ANSWER_WITHIN_MS } from '#services/telegram/telegram_webhook'

let fake: FakeTelegram
let bot: Bot
let nextChat = 2_000_000

function newChat() {
  nextChat += 1
  return nextChat
}

async function startFakeAndBot() {
  fake = await startFakeTelegram({ perChatPerSecond: 1000, totalPerSecond: 1000 })
  bot = botAgainst(fake)
}

function postUpdate(
  client: ApiClient,
  update: unknown,
  secret: string | null = TELEGRAM_WEBHOOK_SECRET
) {
  const request = client.post('/api/telegram/webhook').json(update as object)
  return secret === null ? request : request.header('X-Telegram-Bot-Api-Secret-Token', secret)
}

async function newCode(client: ApiClient, token: string) {
  const response = await client.post('/api/telegram/binding').bearerToken(token)
  return response.body().data.code as string
}

async function statusOf(userId: number) {
  const row = await db
    .from('telegram_bindings')
    .where('user_id', userId)
    .orderBy('id', 'desc')
    .first()
  return row?.status ?? null
}

test.group('Telegram webhook: POST /api/telegram/webhook', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
    await startFakeAndBot()
    app.container.swap(TelegramWebhook, () => TelegramWebhook.withBot(bot))
    return async () => {
      app.container.restore(TelegramWebhook)
      await fake.close()
    }
  })

  test('a missing or wrong secret is refused with 401 and nothing is handled', async ({
    client,
    assert,
  }) => {
    const chatId = newChat()
    const missing = await postUpdate(client, startCommand(chatId), null)
    const wrong = await postUpdate(client, startCommand(chatId), 'not-the-secret')
    const almost = await postUpdate(client, startCommand(chatId), `${TELEGRAM_WEBHOOK_SECRET}x`)

    for (const response of [missing, wrong, almost]) {
      response.assertStatus(401)
      assert.isFalse(response.body().ok)
      assert.equal(response.body().error.code, 'UNAUTHENTICATED')
      assert.equal(response.body().error.requestId, response.header('x-request-id'))
    }
    assert.lengthOf(fake.requests, 0)
    assert.lengthOf(await db.from('telegram_updates'), 0)
  })

  test('the webhook the container builds itself (no test bot) answers too, never a 500', async ({
    client,
    assert,
  }) => {
    app.container.restore(TelegramWebhook)
    const wrong = await postUpdate(client, startCommand(newChat()), 'not-the-secret')
    wrong.assertStatus(401)
    assert.equal(wrong.body().error.code, 'UNAUTHENTICATED')
  })

  test('without TELEGRAM_WEBHOOK_SECRET every call is refused', async ({ client, assert }) => {
    const configured = telegramConfig.webhookSecret
    telegramConfig.webhookSecret = null
    try {
      const response = await postUpdate(client, startCommand(newChat()))
      response.assertStatus(401)
      assert.equal(response.body().error.code, 'UNAUTHENTICATED')
    } finally {
      telegramConfig.webhookSecret = configured
    }
    assert.lengthOf(fake.requests, 0)
  })

  test('the right secret is accepted and the update handled', async ({ client, assert }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    const chatId = newChat()
    const update = startCommand(chatId, code)
    const mark = logMark()

    const response = await postUpdate(client, update)

    response.assertStatus(200)
    assert.deepEqual(response.body().data, { updateId: update.update_id, duplicate: false })
    assert.equal(await statusOf(creator.user.id), 'active')
    assert.include(String(fake.sent(chatId)[0].payload.text), 'Аккаунт Collab подключён')
    const logs = logTextSince(mark)
    assert.notInclude(logs, code)
    assert.notInclude(logs, String(chatId))
    assert.notInclude(logs, fake.token)
    const start = logLinesSince(mark).find((line) => line.msg === 'telegram /start')
    assert.equal(start?.requestId, response.header('x-request-id'), 'the bot logs the request id')
  })

  test('the same update_id twice is handled once', async ({ client, assert }) => {
    const chatId = newChat()
    const update = startCommand(chatId)

    const first = await postUpdate(client, update)
    const second = await postUpdate(client, update)

    first.assertStatus(200)
    second.assertStatus(200)
    assert.isFalse(first.body().data.duplicate)
    assert.isTrue(second.body().data.duplicate)
    assert.lengthOf(fake.sent(chatId), 1)
    assert.lengthOf(await db.from('telegram_updates'), 1)
  })

  test('an update without an update_id is a validation error', async ({ client, assert }) => {
    const response = await postUpdate(client, { message: { text: '/start' } })
    response.assertStatus(422)
    assert.equal(response.body().error.code, 'VALIDATION_ERROR')
    assert.equal(response.body().error.fields[0].field, 'update_id')
  })

  test('an update_id beyond a safe integer is a validation error, not a 500', async ({
    client,
    assert,
  }) => {
    const response = await postUpdate(client, { update_id: 1e20, message: { text: '/start' } })
    response.assertStatus(422)
    assert.equal(response.body().error.fields[0].field, 'update_id')
    assert.lengthOf(await db.from('telegram_updates'), 0)
  })

  test('a failing handler still answers 200 and logs neither the token nor the chat', async ({
    client,
    assert,
  }) => {
    const chatId = newChat()
    fake.script(chatId, 'blocked')
    const update = startCommand(chatId)
    const mark = logMark()

    const response = await postUpdate(client, update)
    response.assertStatus(200)
    const again = await postUpdate(client, update)
    assert.isTrue(again.body().data.duplicate)

    assert.lengthOf(
      fake.requests.filter((request) => request.method === 'sendMessage'),
      1
    )
    const failed = logLinesSince(mark).find((line) => line.msg === 'telegram update failed')
    assert.equal(failed?.requestId, response.header('x-request-id'))
    const logs = logTextSince(mark)
    assert.include(logs, 'telegram update failed')
    assert.include(logs, 'bot was blocked by the user')
    assert.notInclude(logs, String(chatId))
    assert.notInclude(logs, fake.token)
  })

  test('a Bot API that hangs does not hold the answer', async ({ client, assert }) => {
    const chatId = newChat()
    fake.script(chatId, 'hang')

    const started = Date.now()
    const response = await postUpdate(client, startCommand(chatId))

    response.assertStatus(200)
    assert.isBelow(Date.now() - started, WEBHOOK_ANSWER_WITHIN_MS + 1000)
  })
})

test.group('Telegram update intake: long polling or webhook, never both', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
    await startFakeAndBot()
    return () => fake.close()
  })

  test('one polling round takes in pushed updates once and never sets a webhook', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    const binder = newChat()
    const visitor = newChat()
    const bind = startCommand(binder, code)
    fake.pushUpdate(bind)
    fake.pushUpdate(startCommand(visitor))
    fake.pushUpdate(bind)
    const mark = logMark()

    await runUpdateIntake(bot, { signal: new AbortController().signal, once: true })

    assert.equal(await statusOf(creator.user.id), 'active')
    assert.lengthOf(fake.sent(binder), 1)
    assert.lengthOf(fake.sent(visitor), 1)
    const methods = fake.requests.map((request) => request.method)
    assert.includeMembers(methods, ['deleteWebhook', 'getUpdates'])
    assert.notInclude(methods, 'setWebhook')
    assert.isNull(fake.webhook)
    assert.equal(fake.pendingUpdates, 0)
    const logs = logTextSince(mark)
    assert.notInclude(logs, code)
    assert.notInclude(logs, fake.token)
  })

  test('an update the webhook took in is not handled again by polling', async ({
    client,
    assert,
  }) => {
    app.container.swap(TelegramWebhook, () => TelegramWebhook.withBot(bot))
    const chatId = newChat()
    const update = startCommand(chatId)
    try {
      ;(await postUpdate(client, update)).assertStatus(200)
    } finally {
      app.container.restore(TelegramWebhook)
    }
    fake.pushUpdate(update)

    await runUpdateIntake(bot, { signal: new AbortController().signal, once: true })

    assert.lengthOf(fake.sent(chatId), 1)
  })

  test('polling keeps going until the signal aborts', async ({ assert }) => {
    const controller = new AbortController()
    const running = runUpdateIntake(bot, { signal: controller.signal, once: false })
    const chatId = newChat()

    fake.pushUpdate(startCommand(chatId))
    for (let waited = 0; fake.sent(chatId).length === 0 && waited < 5000; waited += 50) {
      await sleep(50)
    }
    fake.pushUpdate(startCommand(chatId))
    for (let waited = 0; fake.sent(chatId).length < 2 && waited < 5000; waited += 50) {
      await sleep(50)
    }
    controller.abort()
    const stoppedAt = Date.now()
    await running

    assert.lengthOf(fake.sent(chatId), 2)
    assert.isBelow(Date.now() - stoppedAt, 2000)
    assert.notInclude(
      fake.requests.map((request) => request.method),
      'setWebhook'
    )
    assert.equal(fake.pendingUpdates, 0)
  })

  test('with TELEGRAM_WEBHOOK_URL the webhook is registered with the secret and nothing polls', async ({
    assert,
  }) => {
    const url = 'https://collab.example/api/telegram/webhook'
    const previous = telegramConfig.webhookUrl
    telegramConfig.webhookUrl = url
    try {
      await runUpdateIntake(bot, { signal: new AbortController().signal, once: false })
    } finally {
      telegramConfig.webhookUrl = previous
    }

    assert.deepEqual(fake.webhook, { url, secretToken: TELEGRAM_WEBHOOK_SECRET })
    const methods = fake.requests.map((request) => request.method)
    assert.deepEqual(methods, ['setWebhook'])
    assert.deepEqual(fake.requests[0].payload.allowed_updates, ['message', 'my_chat_member'])
    assert.equal(fake.requests[0].payload.max_connections, 1, 'updates one at a time, in order')
  })

  test('a failing Bot API is logged without the token and polled with backoff', async ({
    assert,
  }) => {
    let calls = 0
    const broken = createServer((_request, response) => {
      calls += 1
      response.writeHead(502, { 'content-type': 'text/html' })
      response.end('<html>502 Bad Gateway</html>')
    })
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve))
    const token = fakeBotToken()
    const brokenBot = createCollabBot({
      token,
      apiRoot: `http://127.0.0.1:${(broken.address() as AddressInfo).port}`,
      botUsername: 'collab_test_bot',
      requestTimeoutSeconds: 2,
    })
    const mark = logMark()
    const controller = new AbortController()
    try {
      const running = runUpdateIntake(brokenBot, { signal: controller.signal, once: false })
      await sleep(2500)
      controller.abort()
      await running
    } finally {
      await new Promise<void>((resolve) => broken.close(() => resolve()))
    }

    assert.isAtLeast(calls, 2)
    assert.isAtMost(calls, 4)
    const logs = logTextSince(mark)
    assert.include(logs, 'telegram update intake failed')
    assert.notInclude(logs, token)
    assert.notInclude(logs, token.split(':')[1])
  })

  test('an unreachable Bot API ends a --once round with a log line, not a crash', async ({
    assert,
  }) => {
    const token = fakeBotToken()
    const unreachable = createCollabBot({
      token,
      apiRoot: 'http://127.0.0.1:9',
      botUsername: 'collab_test_bot',
      requestTimeoutSeconds: 2,
    })
    const mark = logMark()

    await runUpdateIntake(unreachable, { signal: new AbortController().signal, once: true })

    const logs = logTextSince(mark)
    assert.include(logs, 'telegram update intake failed')
    assert.include(logs, '[redacted]')
    assert.notInclude(logs, token.split(':')[1])
  })
})
