import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { appUrl } from '#config/app'
import { toDbTimestamp } from '#services/database/timestamps'
import { NOTIFICATION_MAP, type NotificationRule } from '#services/notifications/notification_map'
import { DeliveryPassFailed } from '#services/telegram/deliver_notifications'
import { deactivateChatBinding, stopChatBinding } from '#services/telegram/change_chat_binding'
import { LOOKBACK_IDS, planTelegramDeliveries } from '#services/telegram/plan_telegram_deliveries'
import { claimDueDeliveries, markSending } from '#services/telegram/claim_telegram_deliveries'
import { decideDelivery, emptyDeliveryCounters } from '#services/telegram/telegram_delivery_policy'
import { GrammyError } from 'grammy'
import { renderTelegramMessage, TELEGRAM_TEXT_LIMIT } from '#services/telegram/telegram_message'
import { notificationPath } from '#services/notifications/notification_link'
import { truncateAll } from '#tests/support/database'
import { logMark, logTextSince } from '#tests/support/logs'
import {
  parseTelegramHtml,
  startFakeTelegram,
  type FakeBehaviour,
  type FakeTelegram,
} from '#tests/support/fake_telegram_api'
import {
  bindChat,
  bindingStatus,
  deliverOnce,
  deliverUntil,
  deliveryOf,
  dueNotificationWithoutDeliveriesTable,
  insertNotification,
  insertUsers,
  testSettings,
} from '#tests/support/telegram_deliveries'

const telegramTypes = [
  ...new Set(
    Object.values(NOTIFICATION_MAP)
      .flatMap((rules) => rules as readonly NotificationRule[])
      .filter((rule) => rule.telegram)
      .map((rule) => rule.notification)
  ),
]

async function blockAccount(userId: number) {
  await db
    .from('users')
    .where('id', userId)
    .update({ blocked_at: toDbTimestamp(DateTime.now()) })
}

/** Each delivery skipped as not bound, with no chat and no attempt. */
async function assertEachSkippedNotBound(assert: Assert, ids: number[]) {
  for (const id of ids) {
    const delivery = await deliveryOf(id)
    assert.equal(delivery.status, 'skipped')
    assert.equal(delivery.last_error, 'not_bound')
    assert.isNull(delivery.chat_id)
    assert.equal(delivery.attempts, 0)
  }
}

/** Each delivery skipped as not bound, with no chat, no attempt and no request to Telegram. */
async function assertSkippedNotBound(
  assert: Assert,
  fake: FakeTelegram,
  ids: number[],
  counters: Awaited<ReturnType<typeof deliverOnce>>
) {
  await assertEachSkippedNotBound(assert, ids)
  assert.lengthOf(fake.requests, 0)
  assert.equal(counters.skipped_not_bound, ids.length)
}

test.group('Telegram templates', () => {
  test('every type the map sends to Telegram has a template', ({ assert }) => {
    assert.includeMembers(telegramTypes, [
      'invite_received',
      'application_approved',
      'deal_funded',
      'payment_released',
      'payout_paid',
    ])
    for (const type of telegramTypes) {
      assert.isNotNull(renderTelegramMessage(type, {}), type)
    }
    assert.isNull(renderTelegramMessage('invite_declined', {}))
  })

  test('values are HTML-escaped, the text fits 4096 and never is empty, the button opens the page', ({
    assert,
  }) => {
    const hostile = '<script>alert("x")</script> & <b>'.repeat(400)
    const payload = {
      dealId: 41,
      inviteId: 42,
      applicationId: 43,
      payoutId: 44,
      offerTitle: hostile,
      reason: hostile.repeat(3),
      revision: '<2>',
      amount: 123_456,
      creatorShare: 111_111,
      currency: 'RUB',
    }
    for (const type of telegramTypes) {
      const message = renderTelegramMessage(type, payload)!
      const parsed = parseTelegramHtml(message.text)
      assert.notProperty(parsed, 'error', `${type}: ${JSON.stringify(parsed)}`)
      const text = (parsed as { text: string }).text
      assert.isAtMost(message.text.length, TELEGRAM_TEXT_LIMIT, type)
      if (!type.startsWith('payout_')) {
        assert.include(text, '<script>alert("x")</script>', type)
      }
      assert.notInclude(message.text, '<script>', type)
      assert.equal(message.button.url, `${appUrl}${notificationPath(type, payload)}`, type)
      assert.isAbove(message.button.text.length, 0)
    }

    const empty = renderTelegramMessage('changes_requested', {})!
    const emptyText = (parseTelegramHtml(empty.text) as { text: string }).text
    assert.isAbove(emptyText.trim().length, 20)
    assert.equal(empty.button.url, `${appUrl}/notifications`)
  })

  test('Russian wording with money in roubles', ({ assert }) => {
    const funded = renderTelegramMessage('deal_funded', {
      dealId: 7,
      offerTitle: 'Обзор & тест',
      amount: 500_000,
      currency: 'RUB',
    })!
    assert.equal(
      funded.text,
      '<b>Сделка оплачена</b>\nБренд внёс 5\u00a0000\u00a0₽ по сделке «Обзор &amp; тест». Можно приступать к работе.'
    )
    const paid = renderTelegramMessage('payout_paid', { payoutId: 3, amount: 1_234_50 })!
    assert.include(paid.text, '1\u00a0234,50\u00a0₽')
    assert.equal(paid.button.url, `${appUrl}/balance`)
  })
})

test('Telegram delivery decisions for a 429', ({ assert }) => {
  const settings = { ...testSettings().delivery, maxAttempts: 3 }
  const tooMany = (parameters: Record<string, unknown>) =>
    new GrammyError(
      'Call to sendMessage failed',
      { ok: false, error_code: 429, description: 'Too Many Requests', parameters },
      'sendMessage',
      {}
    )

  const withoutRetryAfter = decideDelivery({ kind: 'error', error: tooMany({}) }, 1, settings)
  assert.equal(withoutRetryAfter.status, 'pending', 'a 429 is never a permanent failure')
  assert.equal(withoutRetryAfter.counter, 'retried_rate_limited')
  assert.isAbove(withoutRetryAfter.pauseChatMs!, 0)
  assert.equal(withoutRetryAfter.retryInMs, withoutRetryAfter.pauseChatMs)

  const lastAttempt = decideDelivery(
    { kind: 'error', error: tooMany({ retry_after: 30 }) },
    3,
    settings
  )
  assert.equal(lastAttempt.status, 'dead')
  assert.equal(lastAttempt.pauseChatMs, 30_000, 'the chat stays paused for the next message')
})

test.group('Telegram delivery policy', (group) => {
  let fake: FakeTelegram
  group.each.setup(async () => {
    await truncateAll()
    fake = await startFakeTelegram()
    return () => fake.close()
  })
  group.each.timeout(60_000)

  test('sent: the message id and sent_at are recorded; the message carries the deep link', async ({
    assert,
  }) => {
    const [userId] = await insertUsers(1)
    await bindChat(userId, 5001)
    const notificationId = await insertNotification(userId)

    const counters = await deliverOnce(fake)

    const delivery = await deliveryOf(notificationId)
    assert.equal(delivery.status, 'sent')
    assert.equal(Number(delivery.chat_id), 5001)
    assert.equal(delivery.attempts, 1)
    assert.isNotNull(delivery.sent_at)
    const [sent] = fake.sent(5001)
    assert.equal(Number(delivery.telegram_message_id), 1)
    assert.equal(sent.payload.parse_mode, 'HTML')
    assert.deepEqual(sent.payload.reply_markup.inline_keyboard[0][0], {
      text: 'Открыть сделку',
      url: `${appUrl}/deals/7`,
    })
    assert.equal(counters.sent, 1)

    await deliverOnce(fake)
    assert.lengthOf(fake.sent(), 1, 'a delivered notification is never sent again')
  })

  test('not bound: skipped without any request to Telegram', async ({ assert }) => {
    const [unbound, inactive, revoked] = await insertUsers(3)
    await bindChat(inactive, 5002, 'inactive')
    await bindChat(revoked, 5003, 'revoked')
    const ids = [
      await insertNotification(unbound),
      await insertNotification(inactive),
      await insertNotification(revoked),
    ]

    const counters = await deliverOnce(fake)

    await assertSkippedNotBound(assert, fake, ids, counters)
  })

  test('a binding ended after the delivery was planned: skipped at its turn, no request', async ({
    assert,
  }) => {
    const [stopped, blocked, rebound, newOwner] = await insertUsers(4)
    await bindChat(stopped, 5005)
    await bindChat(blocked, 5006)
    await bindChat(rebound, 5007)
    const ids = [
      await insertNotification(stopped),
      await insertNotification(blocked),
      await insertNotification(rebound),
    ]
    await planTelegramDeliveries(10, emptyDeliveryCounters())
    for (const id of ids) {
      assert.equal((await deliveryOf(id)).status, 'pending')
    }
    await stopChatBinding(5005)
    await deactivateChatBinding(5006)
    await db.from('telegram_bindings').where('user_id', rebound).update({ status: 'revoked' })
    await bindChat(newOwner, 5007)

    const counters = await deliverOnce(fake)

    await assertSkippedNotBound(assert, fake, ids, counters)
  })

  test('a notification committed late, far below the newest planned one, still gets its message', async ({
    assert,
  }) => {
    const [user] = await insertUsers(1)
    await bindChat(user, 5021)
    const late = await insertNotification(user)
    const early = await insertNotification(user)
    // Another consumer's batch, with ids far above, committed first and was planned.
    const ahead = early + LOOKBACK_IDS * 4
    await db.from('notifications').where('id', early).update({ id: ahead })
    await db.from('notifications').where('id', late).update({ telegram: false })
    await planTelegramDeliveries(10, emptyDeliveryCounters())
    assert.equal((await deliveryOf(ahead)).status, 'pending')
    await db.from('notifications').where('id', late).update({ telegram: true })
    await planTelegramDeliveries(10, emptyDeliveryCounters())
    const unplanned = await db.from('telegram_deliveries').where('notification_id', late).first()
    assert.isNull(unplanned, 'beyond the frequent look back')

    const counters = await deliverOnce(fake)

    assert.equal((await deliveryOf(late)).status, 'sent')
    assert.equal(counters.sent, 2)
  })

  test('an account an admin blocked gets nothing in its chat, planned before or after the block', async ({
    assert,
  }) => {
    const [blockedFirst, blockedLater, bystander] = await insertUsers(3)
    await bindChat(blockedFirst, 5011)
    await bindChat(blockedLater, 5012)
    await bindChat(bystander, 5013)
    await blockAccount(blockedFirst)
    const ids = [await insertNotification(blockedFirst), await insertNotification(blockedLater)]
    const delivered = await insertNotification(bystander)
    await planTelegramDeliveries(10, emptyDeliveryCounters())
    assert.equal((await deliveryOf(ids[0])).status, 'skipped')
    assert.equal((await deliveryOf(ids[1])).status, 'pending')
    await blockAccount(blockedLater)

    const counters = await deliverOnce(fake)

    assert.deepEqual(
      fake.sent().map((request) => Number(request.payload.chat_id)),
      [5013]
    )
    assert.equal((await deliveryOf(delivered)).status, 'sent')
    await assertEachSkippedNotBound(assert, ids)
    assert.equal(counters.skipped_not_bound, 1, 'the one planned before the block, at its turn')
    assert.equal(await bindingStatus(blockedLater), 'active', 'unblocking brings the chat back')
  })

  test('too old: skipped without any request', async ({ assert }) => {
    const [userId] = await insertUsers(1)
    await bindChat(userId, 5004)
    const id = await insertNotification(
      userId,
      'deal_funded',
      {},
      DateTime.now().minus({ days: 2 })
    )
    await deliverOnce(fake)
    const delivery = await deliveryOf(id)
    assert.equal(delivery.status, 'skipped')
    assert.equal(delivery.last_error, 'too_old')
    assert.lengthOf(fake.requests, 0)
  })

  test('403 blocked: the binding becomes inactive, the delivery is skipped', async ({ assert }) => {
    const [userId] = await insertUsers(1)
    await bindChat(userId, 5010)
    const first = await insertNotification(userId)
    fake.script(5010, 'blocked')

    const counters = await deliverOnce(fake)

    const delivery = await deliveryOf(first)
    assert.equal(delivery.status, 'skipped')
    assert.equal(delivery.last_error, '403: Forbidden: bot was blocked by the user')
    assert.equal(await bindingStatus(userId), 'inactive')
    assert.equal(counters.skipped_blocked, 1)

    const second = await insertNotification(userId)
    await deliverOnce(fake)
    assert.equal((await deliveryOf(second)).last_error, 'not_bound')
    assert.lengthOf(fake.requests, 1, 'an inactive binding gets no more requests')
  })

  test('400 chat not found: the binding becomes inactive, the delivery failed', async ({
    assert,
  }) => {
    const [userId] = await insertUsers(1)
    await bindChat(userId, 5020)
    const id = await insertNotification(userId)
    fake.script(5020, 'chat_not_found')

    const counters = await deliverOnce(fake)

    const delivery = await deliveryOf(id)
    assert.equal(delivery.status, 'failed')
    assert.equal(delivery.last_error, '400: Bad Request: chat not found')
    assert.equal(await bindingStatus(userId), 'inactive')
    assert.equal(counters.failed_chat_not_found, 1)
  })

  test('another 400: failed with Telegram’s description, the binding stays active', async ({
    assert,
  }) => {
    const [userId] = await insertUsers(1)
    await bindChat(userId, 5030)
    const id = await insertNotification(userId)
    fake.script(5030, { badRequest: "can't parse entities: Unsupported start tag" })

    const counters = await deliverOnce(fake)

    const delivery = await deliveryOf(id)
    assert.equal(delivery.status, 'failed')
    assert.equal(
      delivery.last_error,
      "400: Bad Request: can't parse entities: Unsupported start tag"
    )
    assert.equal(delivery.attempts, 1)
    assert.equal(await bindingStatus(userId), 'active')
    assert.equal(counters.failed_bad_request, 1)
    assert.lengthOf(fake.requests, 1)
  })

  test('429: retried at or after retry_after while another chat’s message still goes out', async ({
    assert,
  }) => {
    const [slow, other] = await insertUsers(2)
    await bindChat(slow, 5040)
    await bindChat(other, 5041)
    const slowId = await insertNotification(slow)
    const otherId = await insertNotification(other)
    fake.script(5040, { retryAfter: 2 })

    const counters = await deliverUntil(fake, () => fake.sent(5040).length === 1)

    const slowRequests = fake.requests.filter((request) => request.chatId === 5040)
    assert.deepEqual(
      slowRequests.map((request) => request.status),
      [429, 200]
    )
    assert.isAtLeast(slowRequests[1].at - slowRequests[0].at, 2000)
    const [otherSent] = fake.sent(5041)
    assert.isBelow(otherSent.at - slowRequests[0].at, 1000, 'the other chat did not wait')
    assert.equal((await deliveryOf(slowId)).status, 'sent')
    assert.equal((await deliveryOf(slowId)).attempts, 2)
    assert.equal((await deliveryOf(otherId)).status, 'sent')
    assert.equal(counters.retried_rate_limited, 1)
    assert.equal(fake.tooManyRequests, 0)
  })

  test("a 429 postpones the chat's other messages, so a single pass does not wait out the pause", async ({
    assert,
  }) => {
    const [userId] = await insertUsers(1)
    await bindChat(userId, 5060)
    const first = await insertNotification(userId)
    const second = await insertNotification(userId)
    fake.script(5060, { retryAfter: 5 })

    const startedAt = Date.now()
    await deliverOnce(fake)

    assert.isBelow(Date.now() - startedAt, 3000)
    assert.deepEqual(
      fake.requests.filter((request) => request.chatId === 5060).map((request) => request.status),
      [429]
    )
    const [rateLimited, next] = [await deliveryOf(first), await deliveryOf(second)]
    assert.deepInclude(rateLimited, { status: 'pending', attempts: 1 })
    assert.deepInclude(next, { status: 'pending', attempts: 0 })
    const dueAt = (row: { next_attempt_at: unknown }) =>
      new Date(row.next_attempt_at as string).getTime()
    assert.equal(dueAt(next), dueAt(rateLimited), 'due together, in their order')
    assert.isAtLeast(dueAt(next), startedAt + 4000)
  })

  test('a server error is retried with backoff and then sent', async ({ assert }) => {
    const [userId] = await insertUsers(1)
    await bindChat(userId, 5050)
    const id = await insertNotification(userId)
    fake.script(5050, 'server_error')

    await deliverUntil(fake, () => fake.sent(5050).length === 1)

    const delivery = await deliveryOf(id)
    assert.equal(delivery.status, 'sent')
    assert.equal(delivery.attempts, 2)
    assert.isNull(delivery.last_error)
  })

  test('500, 502 with HTML, connection reset, no answer: backoff, then dead after the last attempt', async ({
    assert,
  }) => {
    const cases: Array<[FakeBehaviour, RegExp]> = [
      ['server_error', /^500: Internal Server Error$/],
      ['bad_gateway_html', /^network: invalid json response body/],
      ['reset', /^network: .*socket hang up|ECONNRESET/],
      ['hang', /^network: Request to 'sendMessage' timed out after 1 seconds$/],
    ]
    const users = await insertUsers(cases.length)
    const ids: number[] = []
    for (const [index, [behaviour]] of cases.entries()) {
      await bindChat(users[index], 5060 + index)
      fake.script(5060 + index, behaviour, behaviour, behaviour)
      ids.push(await insertNotification(users[index]))
    }
    const mark = logMark()
    const settings = testSettings({ maxAttempts: 3, backoffBaseMs: 200, backoffCapMs: 400 })

    const counters = await deliverUntil(
      fake,
      async () => {
        const finished = await db
          .from('telegram_deliveries')
          .whereIn('status', ['dead', 'sent'])
          .count('* as total')
          .first()
        return Number(finished.total) === cases.length
      },
      settings,
      40_000
    )

    for (const [index, [behaviour, error]] of cases.entries()) {
      const delivery = await deliveryOf(ids[index])
      assert.equal(delivery.status, 'dead', String(behaviour))
      assert.equal(delivery.attempts, 3, String(behaviour))
      assert.match(delivery.last_error, error)
      assert.notInclude(delivery.last_error, fake.token)
      const attempts = fake.requests.filter((request) => request.chatId === 5060 + index)
      assert.lengthOf(attempts, 3, String(behaviour))
      for (let i = 1; i < attempts.length; i++) {
        // backoff (≥ 100 ms) after the chat's pause of one second
        assert.isAtLeast(attempts[i].at - attempts[i - 1].at, 1000)
      }
    }
    assert.equal(counters.dead, cases.length)
    assert.equal(counters.retried, cases.length * 2)
    const logs = logTextSince(mark)
    assert.notInclude(logs, fake.token)
    assert.notInclude(logs, fake.token.split(':')[1])
    assert.notMatch(logs, /"chat_?id"/i)
  })

  test('at most once: a delivery left `sending` by a crash is failed as interrupted, never resent', async ({
    assert,
  }) => {
    const [crashed, claimedOnly] = await insertUsers(2)
    await bindChat(crashed, 5070)
    await bindChat(claimedOnly, 5071)
    const crashedId = await insertNotification(crashed)
    const claimedId = await insertNotification(claimedOnly)
    const past = toDbTimestamp(DateTime.now().minus({ minutes: 5 }))
    const base = {
      status: 'pending',
      attempts: 0,
      next_attempt_at: past,
      created_at: past,
      updated_at: past,
    }
    // Sent, then the worker died before recording the answer.
    await db.table('telegram_deliveries').insert({
      ...base,
      notification_id: crashedId,
      user_id: crashed,
      chat_id: 5070,
      status: 'sending',
      attempts: 1,
      claimed_by: 'telegram:dead-worker',
      claimed_until: past,
    })
    // Claimed by the dead worker but never started: safe to send.
    await db.table('telegram_deliveries').insert({
      ...base,
      notification_id: claimedId,
      user_id: claimedOnly,
      chat_id: 5071,
      claimed_by: 'telegram:dead-worker',
      claimed_until: past,
    })

    const counters = await deliverOnce(fake)
    await deliverOnce(fake)

    const interrupted = await deliveryOf(crashedId)
    assert.equal(interrupted.status, 'failed')
    assert.equal(interrupted.last_error, 'interrupted')
    assert.lengthOf(
      fake.requests.filter((request) => request.chatId === 5070),
      0
    )
    assert.equal((await deliveryOf(claimedId)).status, 'sent')
    assert.lengthOf(fake.sent(5071), 1)
    assert.equal(counters.interrupted, 1)
    const rows = await db.from('telegram_deliveries')
    assert.lengthOf(rows, 2, 'one delivery per notification')
  })

  test('a claim that is not current is not sent by a second worker', async ({ assert }) => {
    const [userId] = await insertUsers(1)
    await bindChat(userId, 5080)
    const id = await insertNotification(userId)
    const future = toDbTimestamp(DateTime.now().plus({ minutes: 5 }))
    const now = toDbTimestamp(DateTime.now())
    await db.table('telegram_deliveries').insert({
      notification_id: id,
      user_id: userId,
      chat_id: 5080,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      claimed_by: 'telegram:live-worker',
      claimed_until: future,
      created_at: now,
      updated_at: now,
    })
    await deliverOnce(fake)
    assert.lengthOf(fake.requests, 0)
    assert.equal((await deliveryOf(id)).status, 'pending')
  })

  test('a single pass whose queries fail logs the failure and stops with an error instead of retrying forever', async ({
    assert,
    cleanup,
  }) => {
    await dueNotificationWithoutDeliveriesTable(5090, cleanup)
    const mark = logMark()

    const stop = new AbortController()
    const timer = setTimeout(() => stop.abort(), 10_000)
    await assert.rejects(
      () => deliverOnce(fake, testSettings(), stop.signal),
      DeliveryPassFailed,
      /the delivery pass stopped on a failure: .*telegram_deliveries/
    )
    clearTimeout(timer)

    assert.isFalse(stop.signal.aborted, 'the pass went on until stopped')
    assert.include(logTextSince(mark), 'telegram delivery loop failed')
    assert.lengthOf(fake.requests, 0)
  })

  test('a chat with a delivery claimed or being sent by one worker gets none claimed by another', async ({
    assert,
  }) => {
    const [busy, other] = await insertUsers(2)
    await bindChat(busy, 9300)
    await bindChat(other, 9301)
    const [first, second] = [await insertNotification(busy), await insertNotification(busy)]
    const otherChat = await insertNotification(other)
    await planTelegramDeliveries(10, emptyDeliveryCounters())
    const deliveryIds = async (ids: number[]) =>
      (await db.from('telegram_deliveries').whereIn('notification_id', ids).select('id')).map(
        (row) => Number(row.id)
      )

    const byA = await claimDueDeliveries('worker-a', 1)
    assert.deepEqual(
      byA.map((delivery) => delivery.id),
      await deliveryIds([first])
    )
    const byB = await claimDueDeliveries('worker-b', 10)
    assert.deepEqual(
      byB.map((delivery) => delivery.id),
      await deliveryIds([otherChat]),
      "the busy chat's second message waits while its first is claimed elsewhere"
    )
    assert.equal(await markSending(byA[0], 'worker-a'), 'sending')
    assert.lengthOf(await claimDueDeliveries('worker-b', 10), 0, 'nor while it is being sent')

    await db
      .from('telegram_deliveries')
      .whereIn('id', await deliveryIds([first]))
      .update({
        status: 'sent',
      })
    const next = await claimDueDeliveries('worker-b', 10)
    assert.deepEqual(
      next.map((delivery) => delivery.id),
      await deliveryIds([second])
    )
  })

  test('two workers side by side never send the same delivery twice', async ({ assert }) => {
    // Pacing is per process: two workers together may exceed what one would send.
    await fake.close()
    fake = await startFakeTelegram({ totalPerSecond: 1000 })
    const users = await insertUsers(40)
    for (const [index, userId] of users.entries()) {
      await bindChat(userId, 9100 + index)
      await insertNotification(userId)
    }

    const [first, second] = await Promise.all([deliverOnce(fake), deliverOnce(fake)])

    assert.equal(first.sent + second.sent, 40)
    for (let index = 0; index < users.length; index++) {
      assert.lengthOf(
        fake.requests.filter((request) => request.chatId === 9100 + index),
        1
      )
    }
    const sent = await db.from('telegram_deliveries').where('status', 'sent').count('* as total')
    assert.equal(Number(sent[0].total), 40)
  })
})
