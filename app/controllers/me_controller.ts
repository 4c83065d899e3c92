import type { HttpContext } from '@adonisjs/core/http'
import { ok } from '#http/api_response'

export default class MeController {
  async show(ctx: HttpContext) {
    return ok(ctx, { user: ctx.auth.getUserOrFail().toProfile() })
  }
}
