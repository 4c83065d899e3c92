import { BotError, GrammyError, HttpError } from 'grammy'
import { describeForLog } from '#exceptions/api_error'
import { redactBotToken } from '#services/telegram/telegram_bot'

/**
 * A grammY error as a log field: the method and Telegram's error code and
 * description, the network cause, never the payload (it holds the chat id
 * and the text) and never the token.
 */
export function describeTelegramError(error: unknown) {
  const inner = error instanceof BotError ? error.error : error
  const described = describeForLog(inner)
  return {
    name: described.name,
    message: redactBotToken(described.message),
    stack: described.stack ? redactBotToken(described.stack) : undefined,
    method: inner instanceof GrammyError ? inner.method : undefined,
    errorCode: inner instanceof GrammyError ? inner.error_code : undefined,
    cause:
      inner instanceof HttpError ? redactBotToken(describeForLog(inner.error).message) : undefined,
  }
}
