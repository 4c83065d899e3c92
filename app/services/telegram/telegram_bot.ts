import { Bot } from 'grammy'
import type { UserFromGetMe } from 'grammy/types'
import telegramConfig, { TELEGRAM_TOKEN_SHAPE } from '#config/telegram'

export type TelegramBotSettings = {
  token: string
  apiRoot: string
  botUsername: string | null
  requestTimeoutSeconds: number
}

/**
 * The bot settings from config/telegram.ts; null without a token.
 */
export function configuredBotSettings(): TelegramBotSettings | null {
  const token = telegramConfig.token?.release()
  if (!token) {
    return null
  }
  return {
    token,
    apiRoot: telegramConfig.apiRoot,
    botUsername: telegramConfig.botUsername,
    requestTimeoutSeconds: telegramConfig.requestTimeoutSeconds,
  }
}

/**
 * Why a token cannot be used, in one sentence, or null when it can.
 */
export function tokenProblem(token: string | null | undefined): string | null {
  if (!token) {
    return 'TELEGRAM_BOT_TOKEN is not set'
  }
  if (!TELEGRAM_TOKEN_SHAPE.test(token)) {
    return 'TELEGRAM_BOT_TOKEN does not look like a bot token (<digits>:<secret>)'
  }
  return null
}

/**
 * What getMe would say, built from the token and TELEGRAM_BOT_USERNAME so
 * that starting the bot costs no request.
 */
export function botInfoFor(settings: TelegramBotSettings): UserFromGetMe {
  const username = settings.botUsername ?? 'collab_bot'
  return {
    id: Number(settings.token.split(':')[0]),
    is_bot: true,
    first_name: username,
    username,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  }
}

/**
 * The bot every part of the application uses: botInfo given (no getMe at
 * start), the configured API root and timeout, and no auto-retry — the
 * delivery policy decides what a failure means. Throws when there is no
 * usable token; workers check first (tokenProblem).
 */
export function createTelegramBot(settings = configuredBotSettings()): Bot {
  const problem = tokenProblem(settings?.token)
  if (problem || !settings) {
    throw new Error(`Telegram bot unavailable: ${problem}`)
  }
  return new Bot(settings.token, {
    botInfo: botInfoFor(settings),
    client: { apiRoot: settings.apiRoot, timeoutSeconds: settings.requestTimeoutSeconds },
  })
}

/**
 * grammY's network errors carry the request URL, and with it the token:
 * anything about a Bot API call passes through here before a log or a row.
 */
export function redactBotToken(text: string): string {
  return text.replace(/\d+:[A-Za-z0-9_-]{30,}/g, '[redacted]')
}
