import type { HttpContext } from '@adonisjs/core/http'
import { registerValidator } from '#validators/auth'
import { createUser } from '#services/users/create_user'
import { validateForm } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { homePathOf } from '#http/home_path'

export default class RegistrationController {
  async show(ctx: HttpContext) {
    return ctx.view.render('pages/auth/register')
  }

  async store(ctx: HttpContext) {
    const input = await validateForm(ctx, registerValidator)
    const user = await createUser(input)
    await ctx.auth.use('web').login(user)
    return doneAndRedirect(ctx, 'auth.register.done', homePathOf(user))
  }
}
