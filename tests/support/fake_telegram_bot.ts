import { createCollabBot } from '#services/telegram/collab_bot'
import type { FakeTelegram } from '#tests/support/fake_telegram_api'

/**
 * The production bot, talking to the fake instead of Telegram. Apart from
 * fake_telegram_api.ts, which scripts/fake_telegram.ts runs without the app.
 */
export function botAgainst(fake: FakeTelegram) {
  return createCollabBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    botUsername: fake.botInfo.username,
    requestTimeoutSeconds: 5,
  })
}
