import type { HttpContext } from '@adonisjs/core/http'
import Offer from '#models/offer'
import Invite from '#models/invite'
import OfferPolicy from '#policies/offer_policy'
import InvitePolicy from '#policies/invite_policy'
import { created, ok } from '#http/api_response'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import { createInviteValidator, listInvitesValidator } from '#validators/invite'
import { createInvite } from '#services/invites/create_invite'
import { acceptInvite, declineInvite, withdrawInvite } from '#services/invites/answer_invite'
import { listInvites } from '#services/invites/list_invites'

export default class InvitesController {
  async index(ctx: HttpContext) {
    const filters = await listInvitesValidator.validate(ctx.request.qs())
    return ok(ctx, await listInvites(ctx.auth.getUserOrFail(), filters))
  }

  async store(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    const input = await ctx.request.validateUsing(createInviteValidator)
    const invite = await createInvite(actionContextOf(ctx), offer, input)
    return created(ctx, { invite: invite.toApi() })
  }

  async accept(ctx: HttpContext) {
    const invite = await findRecord(Invite, ctx.params.id)
    await ctx.bouncer.with(InvitePolicy).authorize('answer', invite)
    const result = await acceptInvite(actionContextOf(ctx), invite)
    return ok(ctx, { invite: result.invite.toApi(), deal: result.deal.toApi() })
  }

  async decline(ctx: HttpContext) {
    const invite = await findRecord(Invite, ctx.params.id)
    await ctx.bouncer.with(InvitePolicy).authorize('answer', invite)
    const answered = await declineInvite(actionContextOf(ctx), invite)
    return ok(ctx, { invite: answered.toApi() })
  }

  async withdraw(ctx: HttpContext) {
    const invite = await findRecord(Invite, ctx.params.id)
    await ctx.bouncer.with(InvitePolicy).authorize('withdraw', invite)
    const answered = await withdrawInvite(actionContextOf(ctx), invite)
    return ok(ctx, { invite: answered.toApi() })
  }
}
