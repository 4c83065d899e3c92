import type { HttpContext } from '@adonisjs/core/http'
import type { ActionContext } from '#services/action_context'
import { requestIdOf } from '#http/api_response'

export function actionContextOf(ctx: HttpContext): ActionContext {
  return { actor: ctx.auth.getUserOrFail(), requestId: requestIdOf(ctx) }
}
