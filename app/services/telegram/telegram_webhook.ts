import { createHash, timingSafeEqual } from 'node:crypto'
import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import telegramConfig from '#config/telegram'
import { createCollabBot } from '#services/telegram/collab_bot'
import { claimUpdate, handleClaimedUpdate } from '#services/telegram/update_intake'

/**
 * How long the webhook waits for the handlers before answering anyway;
 * a slow Bot API call then finishes in the background.
 */
export const WEBHOOK_ANSWER_WITHIN_MS = 2000

let sharedBot: Bot | undefined

function sha256(text: string) {
  return createHash('sha256').update(text).digest()
}

/**
 * Updates Telegram pushes to POST /api/telegram/webhook. Resolved through
 * the container so that tests can swap in one whose bot talks to the fake
 * Bot API; otherwise the process builds the configured bot once.
 */
export default class TelegramWebhook {
  #bot: Bot | undefined

  /**
   * One whose bot is given, for tests. The constructor itself takes no
   * argument, so that the container can build the production one.
   */
  static withBot(bot: Bot) {
    const webhook = new TelegramWebhook()
    webhook.#bot = bot
    return webhook
  }

  get bot() {
    this.#bot ??= sharedBot ??= createCollabBot()
    return this.#bot
  }

  /**
   * The X-Telegram-Bot-Api-Secret-Token header against
   * TELEGRAM_WEBHOOK_SECRET, in constant time (both sides hashed to one
   * length first). Without a configured secret nothing is accepted.
   */
  acceptsSecret(header: string | undefined) {
    const secret = telegramConfig.webhookSecret?.release()
    if (!secret || !header) {
      return false
    }
    return timingSafeEqual(sha256(secret), sha256(header))
  }

  /**
   * Takes the update in once (a repeated update_id changes nothing) and
   * runs the handlers, answering within WEBHOOK_ANSWER_WITHIN_MS. The bot
   * is built first: a process that cannot build one fails before the
   * update is recorded, so Telegram's redelivery is still handled.
   */
  async receive(update: Update) {
    const bot = this.bot
    if (!(await claimUpdate(update.update_id))) {
      return { updateId: update.update_id, duplicate: true }
    }
    await settledWithin(handleClaimedUpdate(bot, update), WEBHOOK_ANSWER_WITHIN_MS)
    return { updateId: update.update_id, duplicate: false }
  }
}

async function settledWithin(work: Promise<unknown>, ms: number) {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
  })
  try {
    await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}
