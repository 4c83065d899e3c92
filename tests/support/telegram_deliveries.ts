import { setTimeout as sleep } from 'node:timers/promises'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import telegramConfig from '#config/telegram'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'
import { deliverNotifications } from '#services/telegram/deliver_notifications'
import { createTelegramBot } from '#services/telegram/telegram_bot'
import type { FakeTelegram } from '#tests/support/fake_telegram_api'

let sequence = 0

/**
 * Users straight into the table (no password hashing): the pacing test
 * needs hundreds of them.
 */
export async function insertUsers(howMany: number) {
  const now = dbNow()
  const ids: number[] = []
  for (let i = 0; i < howMany; i++) {
    sequence += 1
    const [row] = await db
      .table('users')
      .insert({
        email: `tg-delivery-${sequence}-${Date.now()}@example.test`,
        password: 'not-a-hash',
        role: 'creator',
        display_name: `creator ${sequence}`,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
    ids.push(Number(typeof row === 'object' ? row.id : row))
  }
  return ids
}

/** The user's binding to a chat, active unless told otherwise. */
export async function bindChat(userId: number, chatId: number, status = 'active') {
  const now = dbNow()
  await db.table('telegram_bindings').insert({
    user_id: userId,
    status,
    attempts: 0,
    expires_at: now,
    chat_id: chatId,
    telegram_user_id: chatId,
    bound_at: now,
    created_at: now,
    updated_at: now,
  })
}

/**
 * A Telegram-bound notification with its outbox event, as the consumer
 * would have written it.
 */
export async function insertNotification(
  userId: number,
  type = 'deal_funded',
  payload: Record<string, unknown> = {
    dealId: 7,
    offerTitle: 'Обзор рюкзака',
    amount: 500_000,
    currency: 'RUB',
    creatorId: userId,
  },
  createdAt = DateTime.now()
) {
  const now = toDbTimestamp(createdAt)
  const [event] = await db
    .table('outbox_events')
    .insert({
      type: 'deal.funded',
      aggregate_type: 'deal',
      aggregate_id: 1,
      payload: JSON.stringify(payload),
      meta: JSON.stringify({ requestId: `tg-delivery-${userId}`, actorId: null }),
      status: 'done',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .returning('id')
  const [notification] = await db
    .table('notifications')
    .insert({
      user_id: userId,
      event_id: Number(typeof event === 'object' ? event.id : event),
      type,
      payload: JSON.stringify(payload),
      telegram: true,
      created_at: now,
    })
    .returning('id')
  return Number(typeof notification === 'object' ? notification.id : notification)
}

export async function deliveryOf(notificationId: number) {
  return db.from('telegram_deliveries').where('notification_id', notificationId).firstOrFail()
}

export async function bindingStatus(userId: number) {
  const row = await db
    .from('telegram_bindings')
    .where('user_id', userId)
    .orderBy('id', 'desc')
    .first()
  return row?.status
}

/** Settings for tests: quick retries, the real pacing. */
export function testSettings(overrides: Partial<typeof telegramConfig.delivery> = {}) {
  return {
    pacing: telegramConfig.pacing,
    delivery: {
      ...telegramConfig.delivery,
      backoffBaseMs: 1,
      backoffCapMs: 5,
      leaseMs: 30_000,
      ...overrides,
    },
  }
}

export function botFor(fake: FakeTelegram, requestTimeoutSeconds = 1) {
  return createTelegramBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    botUsername: fake.botInfo.username,
    requestTimeoutSeconds,
  })
}

/**
 * One `--once` run of the delivery loop in this process, against the fake.
 */
export async function deliverOnce(
  fake: FakeTelegram,
  settings = testSettings(),
  signal = new AbortController().signal
) {
  return deliverNotifications({
    bot: botFor(fake),
    signal,
    once: true,
    idleMs: 20,
    settings,
  })
}

/**
 * Runs the delivery loop in this process until `done` holds (or the time
 * runs out), then stops it as SIGTERM would.
 */
export async function deliverUntil(
  fake: FakeTelegram,
  done: () => Promise<boolean> | boolean,
  settings = testSettings(),
  timeoutMs = 20_000
) {
  const controller = new AbortController()
  const loop = deliverNotifications({
    bot: botFor(fake),
    signal: controller.signal,
    once: false,
    idleMs: 20,
    settings,
  })
  const deadline = Date.now() + timeoutMs
  while (!(await done()) && Date.now() < deadline) {
    await sleep(25)
  }
  controller.abort()
  return loop
}

/**
 * A user with a bound chat and a notification due, in a database whose
 * deliveries table is renamed away, so that every query of the delivery
 * loop fails; the table comes back in the test's cleanup.
 */
export async function dueNotificationWithoutDeliveriesTable(
  chatId: number,
  cleanup: (handler: () => Promise<void>) => void
) {
  const [userId] = await insertUsers(1)
  await bindChat(userId, chatId)
  await insertNotification(userId)
  await db.rawQuery('alter table telegram_deliveries rename to telegram_deliveries_away')
  cleanup(async () => {
    await db.rawQuery('alter table telegram_deliveries_away rename to telegram_deliveries')
  })
}
