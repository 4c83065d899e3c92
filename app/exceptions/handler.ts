import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { fail } from '#http/api_response'
import { describeForLog, isForeignKeyViolation, toApiError } from '#exceptions/api_error'
import User from '#models/user'
import { respondToWebError } from '#exceptions/web_error'

/**
 * Every /api error leaves as the contract's error envelope (DESIGN.md §3):
 * never a stack, SQL, or the framework's default shape; web pages get a
 * flash message or an error page instead (web_error.ts). The detail of
 * unexpected errors goes to the log under the request id.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = false

  async handle(error: unknown, ctx: HttpContext) {
    const apiError = toApiError(error)
    if (isForeignKeyViolation(error) && (await this.#actorVanished(ctx))) {
      apiError.code = 'SESSION_INVALID'
      apiError.message = undefined
    }
    if (!ctx.request.url().startsWith('/api')) {
      return respondToWebError(error, apiError, ctx)
    }
    fail(ctx, apiError.code, apiError)
  }

  async report(error: unknown, ctx: HttpContext) {
    const { code } = toApiError(error)
    if (code === 'SERVICE_UNAVAILABLE') {
      ctx.logger.error({ err: describeForLog(error) }, 'dependency unavailable')
    } else if (code === 'INTERNAL') {
      ctx.logger.error({ err: describeForLog(error) }, 'unexpected error')
    }
  }

  /**
   * A foreign key pointing at the acting user fails when that user was
   * deleted mid-request: their session is what is invalid, not the input.
   */
  async #actorVanished(ctx: HttpContext) {
    const userId = ctx.auth?.user?.id
    if (userId === undefined) {
      return false
    }
    try {
      return (await User.find(userId)) === null
    } catch {
      return false
    }
  }
}
