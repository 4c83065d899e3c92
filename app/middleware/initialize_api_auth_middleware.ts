import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * The authenticator of an API request. The stock middleware also shares it
 * with the templates, and touching `ctx.view` builds a template renderer,
 * which lists the components folder on disk: a filesystem read on every API
 * request that renders nothing.
 */
export default class InitializeApiAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const manager = await ctx.containerResolver.make('auth.manager')
    ctx.auth = manager.createAuthenticator(ctx)
    return next()
  }
}
