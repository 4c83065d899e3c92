import { errorReason } from '#exceptions/error_reasons'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { created, ok } from '#http/api_response'
import { createUser } from '#services/users/create_user'
import { verifyCredentials } from '#services/auth/verify_credentials'
import { issueAccessToken } from '#services/auth/issue_access_token'
import { credentialsValidator, registerValidator, tokenValidator } from '#validators/auth'
import { DomainError } from '#exceptions/domain_error'

export default class AuthController {
  async register(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(registerValidator)
    const user = await createUser(input)
    return created(ctx, { user: user.toProfile() })
  }

  async login(ctx: HttpContext) {
    const { email, password } = await ctx.request.validateUsing(credentialsValidator)
    const user = await verifyCredentials(email, password)
    await ctx.auth.use('web').login(user)
    return ok(ctx, { user: user.toProfile() })
  }

  async logout(ctx: HttpContext) {
    if (ctx.auth.authenticatedViaGuard === 'api') {
      await this.#revokeCurrentToken(ctx)
    } else {
      await ctx.auth.use('web').logout()
      // An empty session loses its row, and a cookie without a row reads as
      // a vanished (stale) session. A web page's session keeps its CSRF
      // secret; an API session keeps this, so that its cookie reads as
      // signed out (UNAUTHENTICATED), as docs/API.md says.
      ctx.session.put('signedOut', true)
    }
    return ok(ctx, { signedOut: true })
  }

  async createToken(ctx: HttpContext) {
    const { email, password, name } = await ctx.request.validateUsing(tokenValidator)
    const user = await verifyCredentials(email, password)
    return created(ctx, await issueAccessToken(user, name))
  }

  async revokeCurrentToken(ctx: HttpContext) {
    if (ctx.auth.authenticatedViaGuard !== 'api') {
      throw new DomainError('CONFLICT', { message: errorReason('no_token_to_revoke') })
    }
    await this.#revokeCurrentToken(ctx)
    return ok(ctx, { revoked: true })
  }

  async #revokeCurrentToken(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    await User.accessTokens.delete(user, user.currentAccessToken.identifier)
  }
}
