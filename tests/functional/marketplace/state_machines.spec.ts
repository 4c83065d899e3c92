import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import Deal from '#models/deal'
import { blockUser, unblockUser } from '#services/users/block_user'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import {
  dealIn,
  draftOffer,
  party,
  pendingApplication,
  pendingInvite,
  publishedOffer,
} from '#tests/support/marketplace'

async function count(table: string) {
  const row = await db.from(table).count('* as total').first()
  return Number(row.total)
}

test.group('state machines', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('offer: draft → published → closed, over the API', async ({ client, assert }) => {
    const brand = await party('brand')
    const created = await client.post('/api/offers').bearerToken(brand.token).json({
      title: 'Обзор наушников',
      brief: 'Короткое видео',
      budget: 250_000,
      deadline: '2099-01-31',
    })
    created.assertStatus(201)
    const offer = created.body().data.offer
    assert.include(offer, {
      status: 'draft',
      budget: 250_000,
      currency: 'RUB',
      deadline: '2099-01-31',
    })

    const edited = await client
      .patch(`/api/offers/${offer.id}`)
      .bearerToken(brand.token)
      .json({ title: 'Обзор наушников, версия 2' })
    edited.assertStatus(200)
    assert.equal(edited.body().data.offer.title, 'Обзор наушников, версия 2')
    assert.equal(edited.body().data.offer.budget, 250_000)

    const published = await client.post(`/api/offers/${offer.id}/publish`).bearerToken(brand.token)
    published.assertStatus(200)
    assert.equal(published.body().data.offer.status, 'published')
    assert.isString(published.body().data.offer.publishedAt)

    const closed = await client.post(`/api/offers/${offer.id}/close`).bearerToken(brand.token)
    closed.assertStatus(200)
    assert.equal(closed.body().data.offer.status, 'closed')
  })

  test('offer: illegal transitions are CONFLICT naming the current status', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const published = await publishedOffer(brand.user)

    const republish = await client
      .post(`/api/offers/${published.id}/publish`)
      .bearerToken(brand.token)
    republish.assertStatus(409)
    assert.equal(republish.body().error.code, 'CONFLICT')
    assert.include(republish.body().error.message, 'published')

    const edit = await client
      .patch(`/api/offers/${published.id}`)
      .bearerToken(brand.token)
      .json({ budget: 1 })
    edit.assertStatus(409)

    await client.post(`/api/offers/${published.id}/close`).bearerToken(brand.token)
    const reclose = await client.post(`/api/offers/${published.id}/close`).bearerToken(brand.token)
    reclose.assertStatus(409)
    assert.include(reclose.body().error.message, 'closed')
    const publishClosed = await client
      .post(`/api/offers/${published.id}/publish`)
      .bearerToken(brand.token)
    publishClosed.assertStatus(409)
  })

  test('application: apply → approve opens one deal with the offer budget', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const offer = await publishedOffer(brand.user, { budget: 123_400 })

    const applied = await client
      .post(`/api/offers/${offer.id}/applications`)
      .bearerToken(creator.token)
      .json({ message: 'Люблю такие обзоры' })
    applied.assertStatus(201)
    const application = applied.body().data.application
    assert.equal(application.status, 'pending')

    const approved = await client
      .post(`/api/applications/${application.id}/approve`)
      .bearerToken(brand.token)
    approved.assertStatus(200)
    assert.equal(approved.body().data.application.status, 'approved')
    const deal = approved.body().data.deal
    assert.include(deal, {
      status: 'awaiting_funding',
      amount: 123_400,
      applicationId: application.id,
      creatorId: creator.user.id,
      brandId: brand.user.id,
    })
    assert.equal(await count('deals'), 1)
  })

  test('application: illegal transitions and duplicates are CONFLICT', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const offer = await publishedOffer(brand.user)
    const application = await pendingApplication(offer, creator.user)

    const again = await client
      .post(`/api/offers/${offer.id}/applications`)
      .bearerToken(creator.token)
      .json({})
    again.assertStatus(409)

    await client.post(`/api/applications/${application.id}/reject`).bearerToken(brand.token)
    for (const action of ['approve', 'reject']) {
      const response = await client
        .post(`/api/applications/${application.id}/${action}`)
        .bearerToken(brand.token)
      response.assertStatus(409)
      assert.include(response.body().error.message, 'rejected')
    }
    const withdraw = await client
      .post(`/api/applications/${application.id}/withdraw`)
      .bearerToken(creator.token)
    withdraw.assertStatus(409)
    assert.equal(await count('deals'), 0)
  })

  test('application: applying to a closed offer the creator can see is CONFLICT', async ({
    client,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const offer = await publishedOffer(brand.user)
    await pendingInvite(offer, creator.user)
    await client.post(`/api/offers/${offer.id}/close`).bearerToken(brand.token)

    const response = await client
      .post(`/api/offers/${offer.id}/applications`)
      .bearerToken(creator.token)
      .json({})
    response.assertStatus(409)
  })

  test('application: approving one from a creator an admin has blocked is CONFLICT and opens no deal', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const application = await pendingApplication(await publishedOffer(brand.user), creator.user)
    await blockUser(creator.user)

    const response = await client
      .post(`/api/applications/${application.id}/approve`)
      .bearerToken(brand.token)
    response.assertStatus(409)
    assert.include(response.body().error.message, 'заблокирован')
    const deals = await db.from('deals').count('* as total').first()
    assert.equal(Number(deals.total), 0)
    await application.refresh()
    assert.equal(application.status, 'pending')

    await unblockUser(creator.user)
    const approved = await client
      .post(`/api/applications/${application.id}/approve`)
      .bearerToken(brand.token)
    approved.assertStatus(200)
  })

  test('two edits of a draft at once keep both changes', async ({ client, assert }) => {
    const brand = await party('brand')
    const drafts = await Promise.all(Array.from({ length: 5 }, () => draftOffer(brand.user)))

    await Promise.all(
      drafts.flatMap((draft) => [
        client.patch(`/api/offers/${draft.id}`).bearerToken(brand.token).json({ budget: 777_000 }),
        client
          .patch(`/api/offers/${draft.id}`)
          .bearerToken(brand.token)
          .json({ title: 'Новое название' }),
      ])
    )

    for (const draft of drafts) {
      const row = await db.from('offers').where('id', draft.id).first()
      assert.equal(Number(row.budget), 777_000)
      assert.equal(row.title, 'Новое название')
      assert.include(row.search_text, 'новое название')
    }
  })

  test('20 parallel approve and withdraw calls on one application: exactly one succeeds', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const offer = await publishedOffer(brand.user)
    const application = await pendingApplication(offer, creator.user)

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? client.post(`/api/applications/${application.id}/approve`).bearerToken(brand.token)
          : client.post(`/api/applications/${application.id}/withdraw`).bearerToken(creator.token)
      )
    )
    const statuses = responses.map((response) => response.status())
    assert.equal(statuses.filter((status) => status === 200).length, 1)
    assert.equal(statuses.filter((status) => status === 409).length, 19)
    for (const response of responses.filter((r) => r.status() === 409)) {
      assert.equal(response.body().error.code, 'CONFLICT')
    }
    const final = await db.from('applications').where('id', application.id).first()
    assert.equal(await count('deals'), final.status === 'approved' ? 1 : 0)
  })

  test('closing an offer while its application is approved or its invite accepted: no deal is opened after the close', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const races = []
    for (let i = 0; i < 10; i++) {
      const offer = await publishedOffer(brand.user)
      const deciding =
        i % 2 === 0
          ? `/api/applications/${(await pendingApplication(offer, creator.user)).id}/approve`
          : `/api/invites/${(await pendingInvite(offer, creator.user)).id}/accept`
      const decider = i % 2 === 0 ? brand.token : creator.token
      races.push({ offer, deciding, decider })
    }

    await Promise.all(
      races.flatMap(({ offer, deciding, decider }) => [
        client.post(deciding).bearerToken(decider),
        client.post(`/api/offers/${offer.id}/close`).bearerToken(brand.token),
      ])
    )

    for (const { offer } of races) {
      const closed = await db.from('offers').where('id', offer.id).first()
      assert.equal(closed.status, 'closed')
      const dealsOpened = await db.from('deals').where('offer_id', offer.id)
      if (dealsOpened.length > 0) {
        const closedAfter = await db
          .from('outbox_events')
          .where('type', 'offer.closed')
          .where('aggregate_id', offer.id)
          .first()
        const dealEvent = await db
          .from('outbox_events')
          .where('type', 'deal.created')
          .where('aggregate_id', dealsOpened[0].id)
          .first()
        assert.isBelow(
          Number(dealEvent.id),
          Number(closedAfter.id),
          'a deal is only opened before the offer closes'
        )
      }
    }
  })

  test('invite: create → accept opens a deal; decline and withdraw end it', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const offer = await publishedOffer(brand.user)

    const invited = await client
      .post(`/api/offers/${offer.id}/invites`)
      .bearerToken(brand.token)
      .json({ creatorId: creator.user.id, message: 'Будем рады' })
    invited.assertStatus(201)
    const invite = invited.body().data.invite
    assert.equal(invite.status, 'pending')
    assert.isString(invite.expiresAt)

    const duplicate = await client
      .post(`/api/offers/${offer.id}/invites`)
      .bearerToken(brand.token)
      .json({ creatorId: creator.user.id })
    duplicate.assertStatus(409)

    const accepted = await client
      .post(`/api/invites/${invite.id}/accept`)
      .bearerToken(creator.token)
    accepted.assertStatus(200)
    assert.equal(accepted.body().data.invite.status, 'accepted')
    assert.equal(accepted.body().data.deal.inviteId, invite.id)

    for (const [action, token] of [
      ['accept', creator.token],
      ['decline', creator.token],
      ['withdraw', brand.token],
    ]) {
      const response = await client.post(`/api/invites/${invite.id}/${action}`).bearerToken(token)
      response.assertStatus(409)
      assert.include(response.body().error.message, 'accepted')
    }

    const secondCreator = await party('creator')
    const second = await pendingInvite(offer, secondCreator.user)
    const withdrawn = await client
      .post(`/api/invites/${second.id}/withdraw`)
      .bearerToken(brand.token)
    withdrawn.assertStatus(200)
    assert.equal(withdrawn.body().data.invite.status, 'withdrawn')
  })

  test('invite: only creators can be invited', async ({ client, assert }) => {
    const brand = await party('brand')
    const offer = await publishedOffer(brand.user)
    const otherBrand = await party('brand')
    for (const creatorId of [otherBrand.user.id, 999_999]) {
      const response = await client
        .post(`/api/offers/${offer.id}/invites`)
        .bearerToken(brand.token)
        .json({ creatorId })
      response.assertStatus(404)
      assert.equal(response.body().error.code, 'NOT_FOUND')
    }
  })

  test('invite: a draft offer cannot be invited to', async ({ client }) => {
    const brand = await party('brand')
    const offer = await draftOffer(brand.user)
    const creator = await party('creator')
    const response = await client
      .post(`/api/offers/${offer.id}/invites`)
      .bearerToken(brand.token)
      .json({ creatorId: creator.user.id })
    response.assertStatus(409)
  })

  test('deal: submit → request changes → submit again keeps every revision', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const deal = await dealIn('funded', brand.user, creator.user)

    const first = await client
      .post(`/api/deals/${deal.id}/submit`)
      .bearerToken(creator.token)
      .json({ url: 'https://video.example/v1', note: 'Первая версия' })
    first.assertStatus(200)
    assert.equal(first.body().data.deal.status, 'submitted')
    assert.equal(first.body().data.submission.revision, 1)

    const changes = await client
      .post(`/api/deals/${deal.id}/request-changes`)
      .bearerToken(brand.token)
      .json({ reason: 'Покажите логотип крупнее' })
    changes.assertStatus(200)
    assert.equal(changes.body().data.deal.status, 'funded')

    const second = await client
      .post(`/api/deals/${deal.id}/submit`)
      .bearerToken(creator.token)
      .json({ url: 'https://video.example/v2' })
    assert.equal(second.body().data.submission.revision, 2)

    const shown = await client.get(`/api/deals/${deal.id}`).bearerToken(creator.token)
    const submissions = shown.body().data.deal.submissions
    assert.lengthOf(submissions, 2)
    assert.equal(submissions[0].changeRequest, 'Покажите логотип крупнее')
    assert.isNull(submissions[1].changeRequest)
  })

  test('deal: illegal transitions are CONFLICT naming the current status', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const waiting = await dealIn('awaiting_funding', brand.user, creator.user)

    const submit = await client
      .post(`/api/deals/${waiting.id}/submit`)
      .bearerToken(creator.token)
      .json({ url: 'https://video.example/x' })
    submit.assertStatus(409)
    assert.include(submit.body().error.message, 'awaiting_funding')

    const changes = await client
      .post(`/api/deals/${waiting.id}/request-changes`)
      .bearerToken(brand.token)
      .json({ reason: 'x' })
    changes.assertStatus(409)

    const cancelled = await client.post(`/api/deals/${waiting.id}/cancel`).bearerToken(brand.token)
    cancelled.assertStatus(200)
    assert.equal(cancelled.body().data.deal.status, 'cancelled')
    assert.isFalse(cancelled.body().data.replayed)
    const again = await client.post(`/api/deals/${waiting.id}/cancel`).bearerToken(brand.token)
    again.assertStatus(200)
    assert.isTrue(again.body().data.replayed)
    assert.equal(again.body().data.deal.status, 'cancelled')

    for (const status of ['submitted', 'completed'] as const) {
      const other = await party('creator')
      const deal = await dealIn(status, brand.user, other.user)
      const response = await client.post(`/api/deals/${deal.id}/cancel`).bearerToken(brand.token)
      response.assertStatus(409)
      assert.include(response.body().error.message, status)
      const unchanged = await Deal.findOrFail(deal.id)
      assert.equal(unchanged.status, status)
    }

    const completed = await dealIn('completed', brand.user, (await party('creator')).user)
    for (const actor of [brand, await party('admin')]) {
      const response = await client
        .post(`/api/deals/${completed.id}/cancel`)
        .bearerToken(actor.token)
      response.assertStatus(409)
      assert.notInclude(
        response.body().error.message,
        'администратор',
        'a completed deal is refunded by no one, not by an admin either'
      )
    }
  })

  test('admin may cancel a deal awaiting funding', async ({ client, assert }) => {
    const admin = await party('admin')
    const owner = await party('brand')
    const creator = await party('creator')
    const deal = await dealIn('awaiting_funding', owner.user, creator.user)
    const response = await client.post(`/api/deals/${deal.id}/cancel`).bearerToken(admin.token)
    response.assertStatus(200)
    assert.equal(response.body().data.deal.status, 'cancelled')
  })
})
