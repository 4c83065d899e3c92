import type { HttpContext } from '@adonisjs/core/http'
import { homePathOf } from '#http/home_path'

export default class HomeController {
  async show(ctx: HttpContext) {
    const web = ctx.auth.use('web')
    if (!(await web.check())) {
      return ctx.response.redirect('/login')
    }
    return ctx.response.redirect(homePathOf(web.user!))
  }
}
