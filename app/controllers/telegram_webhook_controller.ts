import { errorReason } from '#exceptions/error_reasons'
import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import type { Update } from 'grammy/types'
import { ok } from '#http/api_response'
import { DomainError } from '#exceptions/domain_error'
import { telegramUpdateValidator } from '#validators/telegram_webhook'
import TelegramWebhook from '#services/telegram/telegram_webhook'

export default class TelegramWebhookController {
  async handle(ctx: HttpContext) {
    const webhook = await app.container.make(TelegramWebhook)
    if (!webhook.acceptsSecret(ctx.request.header('x-telegram-bot-api-secret-token'))) {
      throw new DomainError('UNAUTHENTICATED', { message: errorReason('wrong_telegram_secret') })
    }
    const update = await telegramUpdateValidator.validate(ctx.request.body())
    return ok(ctx, await webhook.receive(update as Update))
  }
}
