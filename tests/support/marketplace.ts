import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { toDbTimestamp } from '#services/database/timestamps'
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
import { cancelDeal } from '#services/deals/cancel_deal'
import { submitWork } from '#services/deals/submit_work'
import { fundDeal } from '#services/payments/fund_deal'
import { releaseEscrow } from '#services/payments/release_escrow'
import { requestPayout } from '#services/payouts/request_payout'
import { approvePayout, markPayoutPaid } from '#services/payouts/decide_payout'
import PayoutRequest from '#models/payout_request'
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
 * A deal brought to the given status through the real operations, so its
 * ledger rows and events are what production would have.
 */
export async function dealIn(status: Deal['status'], brand: User, creator: User) {
  const offer = await publishedOffer(brand)
  const application = await pendingApplication(offer, creator)
  const { deal } = await approveApplication(as(brand), application)
  if (status === 'cancelled') {
    await cancelDeal(as(brand), deal.id)
  }
  if (['funded', 'submitted', 'completed', 'refunded'].includes(status)) {
    await fundDeal(as(brand), deal)
  }
  if (status === 'refunded') {
    await cancelDeal(as(brand), deal.id)
  }
  if (status === 'submitted' || status === 'completed') {
    await submitWork(as(creator), deal, { url: 'https://video.example/fixture' })
  }
  if (status === 'completed') {
    await releaseEscrow(as(brand), deal.id)
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

/**
 * A creator with money to withdraw: one completed deal of the default
 * budget (500 000 kopecks, 450 000 after the 10 % fee).
 */
export async function creatorWithBalance() {
  const creator = await party('creator')
  const brand = await party('brand')
  await dealIn('completed', brand.user, creator.user)
  return creator
}

export async function payoutIn(
  status: 'requested' | 'approved' | 'paid',
  creator: User,
  amount = 100_000
) {
  const admin = await userOf('admin')
  const payout = await requestPayout(as(creator), amount)
  if (status !== 'requested') {
    await approvePayout(as(admin), payout.id)
  }
  if (status === 'paid') {
    await markPayoutPaid(as(admin), payout.id)
  }
  return PayoutRequest.findOrFail(payout.id)
}

/**
 * `count` pending invites of one brand to one creator, each on an offer of
 * its own, whose time ran out a minute ago: a backlog for the expiry to
 * work off, written straight into the tables.
 */
export async function insertLapsedInvites(count: number) {
  const brand = await userOf('brand')
  const creator = await userOf('creator')
  const lapsed = toDbTimestamp(DateTime.now().minus({ minutes: 1 }))
  await db.table('offers').multiInsert(
    Array.from({ length: count }, (_, i) => ({
      brand_id: brand.id,
      title: `Предложение ${i}`,
      brief: 'Задание',
      search_text: `предложение ${i} задание`,
      budget: 1000,
      status: 'published',
      created_at: lapsed,
      updated_at: lapsed,
    }))
  )
  const offers = await db.from('offers').where('brand_id', brand.id).select('id')
  await db.table('invites').multiInsert(
    offers.map((offer) => ({
      offer_id: offer.id,
      creator_id: creator.id,
      brand_id: brand.id,
      status: 'pending',
      expires_at: lapsed,
      created_at: lapsed,
      updated_at: lapsed,
    }))
  )
}
