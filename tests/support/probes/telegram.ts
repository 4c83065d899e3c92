import app from '@adonisjs/core/services/app'
import TelegramWebhook from '#services/telegram/telegram_webhook'
import { createTelegramBot } from '#services/telegram/telegram_bot'
import { fakeBotToken } from '#tests/support/fake_telegram_api'
import { newUpdateId } from '#tests/support/telegram_updates'
import type { RouteProbes } from '#tests/support/probes/types'

export const TELEGRAM_WEBHOOK_SECRET = 'test-telegram-webhook-secret-0123456789'

/**
 * A bot that never needs the Bot API: the probe's update has nothing for
 * the handlers to answer.
 */
function idleBot() {
  return createTelegramBot({
    token: fakeBotToken(),
    apiRoot: 'http://127.0.0.1:9',
    botUsername: 'collab_test_bot',
    requestTimeoutSeconds: 1,
  })
}

export const TELEGRAM_PROBES: Record<string, RouteProbes> = {
  'POST /api/telegram/webhook': {
    success: async (client) => {
      app.container.swap(TelegramWebhook, () => TelegramWebhook.withBot(idleBot()))
      try {
        return await client
          .post('/api/telegram/webhook')
          .header('X-Telegram-Bot-Api-Secret-Token', TELEGRAM_WEBHOOK_SECRET)
          .json({ update_id: newUpdateId() })
      } finally {
        app.container.restore(TelegramWebhook)
      }
    },
    failure: (client) =>
      client
        .post('/api/telegram/webhook')
        .header('X-Telegram-Bot-Api-Secret-Token', 'wrong-secret')
        .json({ update_id: newUpdateId() }),
  },
}
