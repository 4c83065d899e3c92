import type { HttpContext } from '@adonisjs/core/http'
import { doneAndRedirect } from '#http/web_response'
import { currentBinding, revokeBinding, startBinding } from '#services/telegram/bindings'

export default class TelegramController {
  async show(ctx: HttpContext) {
    const binding = await currentBinding(ctx.auth.getUserOrFail())
    return ctx.view.render('pages/telegram/show', {
      binding: binding?.toApi() ?? null,
      fresh: null,
    })
  }

  /**
   * The code is shown once, on this response: it is never stored in
   * plain text, not even in the session's flash.
   */
  async store(ctx: HttpContext) {
    const { code, deepLink, expiresAt, binding } = await startBinding(ctx.auth.getUserOrFail())
    return ctx.view.render('pages/telegram/show', {
      binding: binding.toApi(),
      fresh: { code, deepLink, expiresAt },
    })
  }

  async destroy(ctx: HttpContext) {
    await revokeBinding(ctx.auth.getUserOrFail())
    return doneAndRedirect(ctx, 'telegram.disconnect.done')
  }
}
