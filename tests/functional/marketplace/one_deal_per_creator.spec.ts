import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Application from '#models/application'
import Invite from '#models/invite'
import type Offer from '#models/offer'
import { toApiError } from '#exceptions/api_error'
import DealsOnePerOfferCreator from '#database/migrations/0048_add_deals_one_per_offer_creator_index'
import { blockUser, unblockUser } from '#services/users/block_user'
import { truncateAll } from '#tests/support/database'
import { dbNow } from '#services/database/timestamps'
import { resetRateLimits } from '#tests/support/auth'
import {
  party,
  pendingApplication,
  pendingInvite,
  publishedOffer,
} from '#tests/support/marketplace'

async function dealsOf(offerId: number, creatorId: number) {
  const rows = await db
    .from('deals')
    .where({ offer_id: offerId, creator_id: creatorId })
    .orderBy('id')
    .select('status')
  return rows.map((row) => row.status)
}

/** A deal written straight into the table, with an accepted invite as its origin; its id. */
async function insertDeal(offer: Offer, creatorId: number, status: string) {
  const parties = { offer_id: offer.id, brand_id: offer.brandId, creator_id: creatorId }
  const now = dbNow()
  const [invite] = await db
    .table('invites')
    .insert({ ...parties, status: 'accepted', expires_at: now, created_at: now, updated_at: now })
    .returning('id')
  const [deal] = await db
    .table('deals')
    .insert({
      ...parties,
      invite_id: idOf(invite),
      amount: offer.budget,
      currency: offer.currency,
      status,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
  return idOf(deal)
}

function idOf(row: number | { id: number }) {
  return Number(typeof row === 'object' ? row.id : row)
}

async function offerWithCreator() {
  const brand = await party('brand')
  const creator = await party('creator')
  const offer = await publishedOffer(brand.user)
  return { brand, creator, offer }
}

test.group('one deal per creator and offer', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('an accepted invite, then the same creator’s application approved: CONFLICT, the application stays pending, one deal', async ({
    client,
    assert,
  }) => {
    const { brand, creator, offer } = await offerWithCreator()
    const application = await pendingApplication(offer, creator.user)
    const invite = await pendingInvite(offer, creator.user)
    ;(
      await client.post(`/api/invites/${invite.id}/accept`).bearerToken(creator.token)
    ).assertStatus(200)

    const approve = await client
      .post(`/api/applications/${application.id}/approve`)
      .bearerToken(brand.token)

    approve.assertStatus(409)
    assert.equal(approve.body().error.code, 'CONFLICT')
    assert.equal(approve.body().error.message, 'У автора уже есть сделка по этому предложению')
    assert.equal((await Application.findOrFail(application.id)).status, 'pending')
    assert.deepEqual(await dealsOf(offer.id, creator.user.id), ['awaiting_funding'])
    const approved = await db
      .from('outbox_events')
      .where('type', 'application.approved')
      .count('* as total')
    assert.equal(Number(approved[0].total), 0)
  })

  test('with a deal under way the creator cannot apply, nor be invited again', async ({
    client,
    assert,
  }) => {
    const { brand, creator, offer } = await offerWithCreator()
    const invite = await pendingInvite(offer, creator.user)
    ;(
      await client.post(`/api/invites/${invite.id}/accept`).bearerToken(creator.token)
    ).assertStatus(200)

    const apply = await client
      .post(`/api/offers/${offer.id}/applications`)
      .bearerToken(creator.token)
      .json({ message: 'Ещё раз' })
    const inviteAgain = await client
      .post(`/api/offers/${offer.id}/invites`)
      .bearerToken(brand.token)
      .json({ creatorId: creator.user.id })

    for (const response of [apply, inviteAgain]) {
      response.assertStatus(409)
      assert.equal(response.body().error.message, 'У автора уже есть сделка по этому предложению')
    }
    assert.equal(Number((await db.from('applications').count('* as total'))[0].total), 0)
    assert.equal(Number((await db.from('invites').count('* as total'))[0].total), 1)
  })

  test('once the deal is cancelled the brand may deal with the creator on the offer again', async ({
    client,
    assert,
  }) => {
    const { brand, creator, offer } = await offerWithCreator()
    const first = await pendingInvite(offer, creator.user)
    const accepted = await client.post(`/api/invites/${first.id}/accept`).bearerToken(creator.token)
    ;(
      await client
        .post(`/api/deals/${accepted.body().data.deal.id}/cancel`)
        .bearerToken(brand.token)
    ).assertStatus(200)

    const application = await client
      .post(`/api/offers/${offer.id}/applications`)
      .bearerToken(creator.token)
      .json({})
    application.assertStatus(201)
    const approve = await client
      .post(`/api/applications/${application.body().data.application.id}/approve`)
      .bearerToken(brand.token)

    approve.assertStatus(200)
    assert.deepEqual(await dealsOf(offer.id, creator.user.id), ['cancelled', 'awaiting_funding'])
  })

  test('an accept and an approve of the same creator at once open one deal', async ({
    client,
    assert,
  }) => {
    for (let round = 0; round < 5; round++) {
      const { brand, creator, offer } = await offerWithCreator()
      const application = await pendingApplication(offer, creator.user)
      const invite = await pendingInvite(offer, creator.user)
      const responses = await Promise.all([
        client.post(`/api/invites/${invite.id}/accept`).bearerToken(creator.token),
        client.post(`/api/applications/${application.id}/approve`).bearerToken(brand.token),
      ])
      assert.sameMembers(
        responses.map((response) => response.status()),
        [200, 409]
      )
      assert.deepEqual(await dealsOf(offer.id, creator.user.id), ['awaiting_funding'])
    }
  })

  test('the database refuses a second live deal of one creator on one offer', async ({
    assert,
  }) => {
    const { creator, offer } = await offerWithCreator()
    await insertDeal(offer, creator.user.id, 'cancelled')
    await insertDeal(offer, creator.user.id, 'completed')
    const refused = await insertDeal(offer, creator.user.id, 'awaiting_funding').catch(
      (error: unknown) => error
    )
    assert.equal(toApiError(refused).code, 'CONFLICT', 'a unique violation')
  })

  test('migration 0048 names the pairs that already hold two live deals instead of failing on the index', async ({
    assert,
  }) => {
    const { creator, offer } = await offerWithCreator()
    const migration = () => new DealsOnePerOfferCreator(db.connection(), 'test', false).execUp()
    await db.rawQuery('DROP INDEX deals_one_per_offer_creator')
    try {
      const first = await insertDeal(offer, creator.user.id, 'funded')
      const second = await insertDeal(offer, creator.user.id, 'awaiting_funding')

      const refusal = await migration().catch((error: Error) => error)
      assert.instanceOf(refusal, Error)
      assert.include(
        (refusal as Error).message,
        `offer ${offer.id}, creator ${creator.user.id}: deals ${first} (funded), ${second} (awaiting_funding)`
      )

      await db.from('deals').where('id', second).update({ status: 'cancelled' })
      await migration()
      await assert.rejects(() => insertDeal(offer, creator.user.id, 'awaiting_funding'))
    } finally {
      await db.from('deals').delete()
      await db.rawQuery(
        "CREATE UNIQUE INDEX IF NOT EXISTS deals_one_per_offer_creator ON deals (offer_id, creator_id) WHERE status NOT IN ('cancelled', 'refunded')"
      )
    }
  })
})

test.group('a blocked brand’s offers', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('take no application and no accepted invite while the brand is blocked, and do again after', async ({
    client,
    assert,
  }) => {
    const { brand, creator, offer } = await offerWithCreator()
    const invite = await pendingInvite(offer, creator.user)
    await blockUser(brand.user)

    const apply = await client
      .post(`/api/offers/${offer.id}/applications`)
      .bearerToken(creator.token)
      .json({})
    const accept = await client.post(`/api/invites/${invite.id}/accept`).bearerToken(creator.token)

    for (const response of [apply, accept]) {
      response.assertStatus(409)
      assert.equal(response.body().error.code, 'CONFLICT')
      assert.match(response.body().error.message, /Бренд заблокирован/)
    }
    assert.equal((await Invite.findOrFail(invite.id)).status, 'pending')
    assert.deepEqual(await dealsOf(offer.id, creator.user.id), [])
    assert.equal(Number((await db.from('applications').count('* as total'))[0].total), 0)

    await unblockUser(brand.user)
    ;(
      await client.post(`/api/invites/${invite.id}/accept`).bearerToken(creator.token)
    ).assertStatus(200)
  })
})
