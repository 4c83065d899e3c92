import { errorReason } from '#exceptions/error_reasons'
import type { HttpContext } from '@adonisjs/core/http'
import { created, ok } from '#http/api_response'
import { DomainError } from '#exceptions/domain_error'
import { currentBinding, revokeBinding, startBinding } from '#services/telegram/bindings'

export default class TelegramBindingController {
  async store(ctx: HttpContext) {
    const { code, deepLink, expiresAt, binding } = await startBinding(ctx.auth.getUserOrFail())
    return created(ctx, { code, deepLink, expiresAt, binding: binding.toApi() })
  }

  async show(ctx: HttpContext) {
    const binding = await currentBinding(ctx.auth.getUserOrFail())
    return ok(ctx, { binding: binding?.toApi() ?? null })
  }

  async destroy(ctx: HttpContext) {
    if (!(await revokeBinding(ctx.auth.getUserOrFail()))) {
      throw new DomainError('NOT_FOUND', { message: errorReason('telegram_not_bound') })
    }
    const binding = await currentBinding(ctx.auth.getUserOrFail())
    return ok(ctx, { binding: binding!.toApi() })
  }
}
