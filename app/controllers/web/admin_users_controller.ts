import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import UserPolicy from '#policies/user_policy'
import { findRecord } from '#http/find_record'
import { validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { userListValidator } from '#validators/web_forms'
import { listUsers } from '#services/users/list_users'
import { blockUser, unblockUser } from '#services/users/block_user'

export default class AdminUsersController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(UserPolicy).authorize('manage')
    const filters = await validateListQuery(ctx, userListValidator)
    return ctx.view.render('pages/admin/users', { users: await listUsers(filters), filters })
  }

  async block(ctx: HttpContext) {
    await ctx.bouncer.with(UserPolicy).authorize('manage')
    await blockUser(await findRecord(User, ctx.params.id))
    return doneAndRedirect(ctx, 'users.block.done')
  }

  async unblock(ctx: HttpContext) {
    await ctx.bouncer.with(UserPolicy).authorize('manage')
    await unblockUser(await findRecord(User, ctx.params.id))
    return doneAndRedirect(ctx, 'users.unblock.done')
  }
}
