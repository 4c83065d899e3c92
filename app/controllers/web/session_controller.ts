import type { HttpContext } from '@adonisjs/core/http'
import { credentialsValidator } from '#validators/auth'
import { verifyCredentials } from '#services/auth/verify_credentials'
import { validateForm } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { homePathOf } from '#http/home_path'
import { RETURN_TO_KEY, returnPathOf } from '#http/return_to'

export default class SessionController {
  async show(ctx: HttpContext) {
    return ctx.view.render('pages/auth/login')
  }

  async store(ctx: HttpContext) {
    const { email, password } = await validateForm(ctx, credentialsValidator)
    const user = await verifyCredentials(email, password)
    await ctx.auth.use('web').login(user)
    return ctx.response.redirect(returnPathOf(ctx) ?? homePathOf(user))
  }

  async destroy(ctx: HttpContext) {
    await ctx.auth.use('web').logout()
    // The next person on this browser starts from their own home page.
    ctx.session.forget(RETURN_TO_KEY)
    return doneAndRedirect(ctx, 'auth.logout.done', '/login')
  }
}
