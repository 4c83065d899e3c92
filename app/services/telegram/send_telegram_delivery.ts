import { DateTime } from 'luxon'
import type { Bot } from 'grammy'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import telegramConfig from '#config/telegram'
import { toDbTimestamp, notBefore } from '#services/database/timestamps'
import { deactivateChatBinding } from '#services/telegram/change_chat_binding'
import { markSending, type ClaimedDelivery } from '#services/telegram/claim_telegram_deliveries'
import {
  decideDelivery,
  type DeliveryCounters,
  type DeliveryDecision,
  type SendResult,
} from '#services/telegram/telegram_delivery_policy'
import { renderTelegramMessage } from '#services/telegram/telegram_message'
import type { TelegramPacer } from '#services/telegram/telegram_pacer'

export type SendContext = {
  bot: Bot
  worker: string
  pacer: TelegramPacer
  counters: DeliveryCounters
  delivery?: Pick<
    typeof telegramConfig.delivery,
    'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs' | 'leaseMs'
  >
}

/**
 * Sends one claimed delivery, in its chat's turn: `sending` is committed
 * first, then the one sendMessage call (grammY never retries it), then the
 * policy's verdict is recorded. Returns false when the claim was lost and
 * nothing was sent.
 */
export async function sendTelegramDelivery(delivery: ClaimedDelivery, context: SendContext) {
  const settings = context.delivery ?? telegramConfig.delivery
  const message = renderTelegramMessage(delivery.type, delivery.payload)
  const claim = await markSending(delivery, context.worker, settings.leaseMs)
  if (claim === 'lost') {
    return false
  }
  const attempts = claim === 'sending' ? delivery.attempts + 1 : delivery.attempts
  let result: SendResult
  if (claim === 'not_bound') {
    result = { kind: 'not_bound' }
  } else if (!message) {
    result = { kind: 'no_template' }
  } else {
    try {
      await context.pacer.beforeRequest()
      const sent = await context.bot.api.sendMessage(delivery.chatId, message.text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: {
          inline_keyboard: [[{ text: message.button.text, url: message.button.url }]],
        },
      })
      result = { kind: 'sent', messageId: sent.message_id }
    } catch (error) {
      result = { kind: 'error', error }
    }
  }
  const decision = decideDelivery(result, attempts, settings)
  await recordDecision(
    delivery,
    context.worker,
    decision,
    claim === 'sending' ? 'sending' : 'pending'
  )
  if (decision.deactivateBinding) {
    await deactivateChatBinding(delivery.chatId)
  }
  if (decision.pauseChatMs !== null) {
    context.pacer.pauseChat(delivery.chatId, decision.pauseChatMs)
    await postponeChat(delivery.chatId, decision.pauseChatMs)
  }
  context.counters[decision.counter] += 1
  const log = logger.child({
    requestId: delivery.requestId,
    deliveryId: delivery.id,
    notificationId: delivery.notificationId,
    type: delivery.type,
  })
  const details = {
    outcome: decision.counter,
    status: decision.status,
    attempts,
  }
  if (decision.status === 'sent') {
    log.info(details, 'telegram delivery sent')
  } else {
    log.warn({ ...details, error: decision.lastError }, 'telegram delivery not sent')
  }
  return true
}

/**
 * The decision on a delivery this worker holds: `sending` after a request,
 * still `pending` when none was made because the chat is no longer bound
 * (its chat id is then forgotten, as for a delivery planned unbound).
 */
async function recordDecision(
  delivery: ClaimedDelivery,
  worker: string,
  decision: DeliveryDecision,
  heldAs: 'sending' | 'pending'
) {
  const now = DateTime.now()
  const updated = await db
    .from('telegram_deliveries')
    .where({ id: delivery.id, status: heldAs, claimed_by: worker })
    .update({
      ...(heldAs === 'pending' ? { chat_id: null } : {}),
      status: decision.status,
      last_error: decision.lastError,
      telegram_message_id: decision.messageId,
      sent_at: decision.status === 'sent' ? toDbTimestamp(now) : null,
      next_attempt_at: toDbTimestamp(
        decision.retryInMs === null
          ? now
          : notBefore(now.plus({ milliseconds: decision.retryInMs }))
      ),
      claimed_by: null,
      claimed_until: null,
      updated_at: toDbTimestamp(now),
    })
  if (Number(Array.isArray(updated) ? updated[0] : updated) !== 1) {
    // Another worker declared it interrupted meanwhile: it stays failed, never resent.
    logger.warn(
      { requestId: delivery.requestId, deliveryId: delivery.id, outcome: decision.counter },
      'telegram delivery answer came after its lease'
    )
  }
}

/**
 * Telegram asked to wait before the chat's next message (a 429): the
 * chat's other pending deliveries are not due before then either, so no
 * worker claims one to send into the pause, and a single pass does not
 * wait for it. They keep their order: the one that got the 429 is due at
 * the same time and has the lowest id.
 */
async function postponeChat(chatId: number, pauseMs: number) {
  const until = toDbTimestamp(notBefore(DateTime.now().plus({ milliseconds: pauseMs })))
  await db
    .from('telegram_deliveries')
    .where({ chat_id: chatId, status: 'pending' })
    .where('next_attempt_at', '<', until)
    .update({ next_attempt_at: until })
}
