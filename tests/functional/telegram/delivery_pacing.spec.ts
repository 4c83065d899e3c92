import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import db from '@adonisjs/lucid/services/db'
import { TelegramPacer } from '#services/telegram/telegram_pacer'
import { truncateAll } from '#tests/support/database'
import {
  startFakeTelegram,
  type FakeRequest,
  type FakeTelegram,
} from '#tests/support/fake_telegram_api'
import {
  bindChat,
  deliverOnce,
  deliverUntil,
  insertNotification,
  insertUsers,
} from '#tests/support/telegram_deliveries'

/** The most requests that arrived within any one second. */
function busiestSecond(requests: FakeRequest[]) {
  const times = requests.map((request) => request.at).sort((a, b) => a - b)
  let most = 0
  let start = 0
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] >= 1000) {
      start += 1
    }
    most = Math.max(most, end - start + 1)
  }
  return most
}

test.group('Telegram delivery pacing', (group) => {
  let fake: FakeTelegram
  group.each.setup(async () => {
    await truncateAll()
    fake = await startFakeTelegram()
    return () => fake.close()
  })
  group.each.timeout(120_000)

  test('300 deliveries to 300 chats: no 429 from Telegram, at most 25 messages a second', async ({
    assert,
  }) => {
    const users = await insertUsers(300)
    for (const [index, userId] of users.entries()) {
      await bindChat(userId, 900_000 + index)
      await insertNotification(userId)
    }

    const startedAt = Date.now()
    const counters = await deliverOnce(fake)
    const seconds = (Date.now() - startedAt) / 1000

    assert.equal(fake.tooManyRequests, 0)
    assert.lengthOf(fake.sent(), 300)
    assert.equal(counters.sent, 300)
    assert.isAtMost(busiestSecond(fake.requests), 25)
    assert.isBelow(seconds, 25, 'paced, not serialised per chat')
    const sent = await db.from('telegram_deliveries').where('status', 'sent').count('* as total')
    assert.equal(Number(sent[0].total), 300)
  })

  test('a chat with a backlog of 250 does not hold up the chats whose messages came after', async ({
    assert,
  }) => {
    const [busy, ...others] = await insertUsers(6)
    await bindChat(busy, 700)
    for (let i = 0; i < 250; i++) {
      await insertNotification(busy)
    }
    for (const [index, userId] of others.entries()) {
      await bindChat(userId, 701 + index)
      await insertNotification(userId)
    }
    const othersSent = () => [701, 702, 703, 704, 705].every((chatId) => fake.sent(chatId).length)

    const startedAt = Date.now()
    await deliverUntil(fake, othersSent)

    assert.isTrue(othersSent(), 'every other chat got its message')
    assert.isBelow(Date.now() - startedAt, 5_000)
    assert.isAtMost(fake.sent(700).length, 6, 'the busy chat still goes at a message a second')
  })

  test('one chat gets a message a second; the other chats do not wait for it', async ({
    assert,
  }) => {
    const [busy, ...others] = await insertUsers(5)
    await bindChat(busy, 800)
    for (let i = 0; i < 4; i++) {
      await insertNotification(busy)
    }
    for (const [index, userId] of others.entries()) {
      await bindChat(userId, 801 + index)
      await insertNotification(userId)
    }

    await deliverOnce(fake)

    const toBusy = fake.sent(800)
    assert.lengthOf(toBusy, 4)
    for (let i = 1; i < toBusy.length; i++) {
      assert.isAtLeast(toBusy[i].at - toBusy[i - 1].at, 1000)
    }
    const first = fake.requests[0].at
    for (let index = 0; index < others.length; index++) {
      const [sent] = fake.sent(801 + index)
      assert.isBelow(sent.at - first, 1000, `chat ${801 + index} waited`)
    }
    assert.equal(fake.tooManyRequests, 0)
  })

  test('the pacer: a chat paused by Telegram holds up no other chat', async ({ assert }) => {
    const pacer = new TelegramPacer({ maxPerSecond: 25, chatIntervalMs: 1000 })
    const started: Array<[number, number]> = []
    const send = (chatId: number) =>
      pacer.run(chatId, async () => {
        started.push([chatId, Date.now()])
      })
    const t0 = Date.now()
    pacer.pauseChat(1, 1500)
    await Promise.all([send(1), send(2), send(3), send(2)])
    const at = (chatId: number) =>
      started.filter(([id]) => id === chatId).map(([, time]) => time - t0)

    assert.isAtLeast(at(1)[0], 1500)
    assert.isBelow(at(3)[0], 200)
    assert.isBelow(at(2)[0], 200)
    assert.isAtLeast(at(2)[1] - at(2)[0], 1000)
  })

  test('the pacer: a stop before the turn comes means the send never runs', async ({ assert }) => {
    const pacer = new TelegramPacer({ maxPerSecond: 25, chatIntervalMs: 1000 })
    const controller = new AbortController()
    let ran = 0
    await pacer.run(1, async () => {
      ran += 1
    })
    const waiting = pacer.run(
      1,
      async () => {
        ran += 1
      },
      controller.signal
    )
    await sleep(50)
    controller.abort()
    await assert.rejects(() => waiting)
    assert.equal(ran, 1)
  })
})
