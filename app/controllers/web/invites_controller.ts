import type { HttpContext } from '@adonisjs/core/http'
import Offer from '#models/offer'
import Invite from '#models/invite'
import OfferPolicy from '#policies/offer_policy'
import InvitePolicy from '#policies/invite_policy'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import { validateForm, validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { listInvitesValidator } from '#validators/invite'
import { inviteFormValidator } from '#validators/web_forms'
import { listInvites } from '#services/invites/list_invites'
import { createInvite } from '#services/invites/create_invite'
import { acceptInvite, declineInvite, withdrawInvite } from '#services/invites/answer_invite'
import { offersMentioned } from '#services/offers/offer_titles'
import { displayNamesOf } from '#services/users/display_names'
import { inviteActions, shownInviteStatus } from '#services/state/available_actions'
import { dealingFor } from '#services/deals/dealing_state'

export default class InvitesController {
  async index(ctx: HttpContext) {
    const viewer = ctx.auth.getUserOrFail()
    const filters = await validateListQuery(ctx, listInvitesValidator)
    const invites = await listInvites(viewer, filters)
    const { titles, statuses } = await offersMentioned(
      invites.items.map((invite) => invite.offerId)
    )
    const names = await displayNamesOf(
      invites.items.flatMap((invite) => [invite.brandId, invite.creatorId])
    )
    const dealing = await dealingFor(viewer, ['creator'], invites.items)
    return ctx.view.render('pages/invites/index', {
      invites: {
        ...invites,
        items: invites.items.map((invite) => ({
          ...invite,
          shownStatus: shownInviteStatus(invite),
          actions: inviteActions(viewer, invite, statuses[invite.offerId], dealing(invite)),
        })),
      },
      titles,
      names,
    })
  }

  async store(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    const input = await validateForm(ctx, inviteFormValidator)
    await createInvite(actionContextOf(ctx), offer, input)
    return doneAndRedirect(ctx, 'offers.invite.done')
  }

  async accept(ctx: HttpContext) {
    const invite = await findRecord(Invite, ctx.params.id)
    await ctx.bouncer.with(InvitePolicy).authorize('answer', invite)
    const { deal } = await acceptInvite(actionContextOf(ctx), invite)
    return doneAndRedirect(ctx, 'invites.accept.done', `/deals/${deal.id}`)
  }

  async decline(ctx: HttpContext) {
    const invite = await findRecord(Invite, ctx.params.id)
    await ctx.bouncer.with(InvitePolicy).authorize('answer', invite)
    await declineInvite(actionContextOf(ctx), invite)
    return doneAndRedirect(ctx, 'invites.decline.done')
  }

  async withdraw(ctx: HttpContext) {
    const invite = await findRecord(Invite, ctx.params.id)
    await ctx.bouncer.with(InvitePolicy).authorize('withdraw', invite)
    await withdrawInvite(actionContextOf(ctx), invite)
    return doneAndRedirect(ctx, 'invites.withdraw.done')
  }
}
