import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Application from '#models/application'
import Invite from '#models/invite'
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
    const parties = { offer_id: offer.id, brand_id: offer.brandId, creator_id: creator.user.id }
    const now = dbNow()
    const dealFromAnInvite = async (status: string) => {
      const [invite] = await db
        .table('invites')
        .insert({
          ...parties,
          status: 'accepted',
          expires_at: now,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
      return db.table('deals').insert({
        ...parties,
        invite_id: typeof invite === 'object' ? invite.id : invite,
        amount: offer.budget,
        currency: offer.currency,
        status,
        created_at: now,
        updated_at: now,
      })
    }
    await dealFromAnInvite('cancelled')
    await dealFromAnInvite('completed')
    await assert.rejects(() => dealFromAnInvite('awaiting_funding'))
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
