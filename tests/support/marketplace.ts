import User from '#models/user'
import type Offer from '#models/offer'
import Deal from '#models/deal'
import type Application from '#models/application'
import type Invite from '#models/invite'
import type { ActionContext } from '#services/action_context'
import { createOffer } from '#services/offers/create_offer'
import { publishOffer } from '#services/offers/publish_offer'
import { submitApplication } from '#services/applications/submit_application'
import { approveApplication } from '#services/applications/decide_application'
import { createInvite } from '#services/invites/create_invite'
import { makeUser, tokenFor } from '#tests/support/auth'

export function as(actor: User): ActionContext {
  return { actor, requestId: 'test-fixture' }
}

export type Party = { user: User; token: string }

export async function party(role: User['role']): Promise<Party> {
  const user = await makeUser(role)
  return { user, token: await tokenFor(user) }
}

export const OFFER_INPUT = {
  title: 'Обзор рюкзака',
  brief: 'Снять короткое видео о новом рюкзаке',
  budget: 500_000,
}

/**
 * Fixtures go through the same services as the API, so they carry the same
 * rows and outbox events a real request would.
 */
export async function draftOffer(brand: User, input: Partial<typeof OFFER_INPUT> = {}) {
  return createOffer(as(brand), { ...OFFER_INPUT, ...input })
}

export async function publishedOffer(brand: User, input: Partial<typeof OFFER_INPUT> = {}) {
  return publishOffer(as(brand), await draftOffer(brand, input))
}

export async function pendingApplication(offer: Offer, creator: User): Promise<Application> {
  return submitApplication(as(creator), offer, 'Хочу участвовать')
}

export async function pendingInvite(offer: Offer, creator: User): Promise<Invite> {
  const brand = await User.findOrFail(offer.brandId)
  return createInvite(as(brand), offer, { creatorId: creator.id })
}

/**
 * A deal in the given status. Funding belongs to payments; until then a
 * fixture moves the deal there directly.
 */
export async function dealIn(status: Deal['status'], brand: User, creator: User) {
  const offer = await publishedOffer(brand)
  const application = await pendingApplication(offer, creator)
  const { deal } = await approveApplication(as(brand), application)
  if (status !== 'awaiting_funding') {
    await Deal.query().where('id', deal.id).update({ status })
  }
  return Deal.findOrFail(deal.id)
}

export async function tokenOf(role: User['role']) {
  const { token } = await party(role)
  return token
}

export async function userOf(role: User['role']) {
  const { user } = await party(role)
  return user
}
