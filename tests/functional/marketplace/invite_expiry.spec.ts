import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import Invite from '#models/invite'
import InvitesExpire from '#commands/invites_expire'
import OutboxConsume, { INVITE_EXPIRY_BATCH } from '#commands/outbox_consume'
import { expireInvites } from '#services/invites/expire_invites'
import { toDbTimestamp } from '#services/database/timestamps'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import {
  insertLapsedInvites,
  party,
  pendingInvite,
  publishedOffer,
  userOf,
} from '#tests/support/marketplace'

async function expiredInvite() {
  const brand = await party('brand')
  const creator = await party('creator')
  const offer = await publishedOffer(brand.user)
  const invite = await pendingInvite(offer, creator.user)
  await db
    .from('invites')
    .where('id', invite.id)
    .update({ expires_at: toDbTimestamp(DateTime.now().minus({ minutes: 1 })) })
  return { brand, creator, invite: await Invite.findOrFail(invite.id) }
}

async function expiredEvents() {
  const row = await db
    .from('outbox_events')
    .where('type', 'invite.expired')
    .count('* as total')
    .first()
  return Number(row.total)
}

test.group('invite expiry', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('an invite expires seven days after it is sent', async ({ assert }) => {
    const offer = await publishedOffer(await userOf('brand'))
    const invite = await pendingInvite(offer, await userOf('creator'))
    const days = invite.expiresAt.diff(invite.createdAt, 'days').days
    assert.closeTo(days, 7, 0.01)
  })

  test('accepting or declining an expired invite is CONFLICT and opens no deal', async ({
    client,
    assert,
  }) => {
    const { creator, invite } = await expiredInvite()
    for (const action of ['accept', 'decline']) {
      const response = await client
        .post(`/api/invites/${invite.id}/${action}`)
        .bearerToken(creator.token)
      response.assertStatus(409)
      assert.equal(response.body().error.code, 'CONFLICT')
    }
    const deals = await db.from('deals').count('* as total').first()
    assert.equal(Number(deals.total), 0)
  })

  test('a brand invites the creator again once the last invite has lapsed, before invites:expire runs', async ({
    client,
    assert,
  }) => {
    const { brand, creator, invite } = await expiredInvite()
    const still = await client
      .post(`/api/offers/${invite.offerId}/invites`)
      .bearerToken(brand.token)
      .json({ creatorId: creator.user.id })
    still.assertStatus(201)
    assert.notEqual(still.body().data.invite.id, invite.id)
    await invite.refresh()
    assert.equal(invite.status, 'expired')
    assert.equal(await expiredEvents(), 1, 'the lapsed invite is told about once')

    const twice = await client
      .post(`/api/offers/${invite.offerId}/invites`)
      .bearerToken(brand.token)
      .json({ creatorId: creator.user.id })
    twice.assertStatus(409)
    assert.equal(await expireInvites(), 0)
    assert.equal(await expiredEvents(), 1)
  })

  test('invites:expire marks due invites once, with an event each', async ({ assert }) => {
    const due = [await expiredInvite(), await expiredInvite()]
    const offer = await publishedOffer(await userOf('brand'))
    const fresh = await pendingInvite(offer, await userOf('creator'))

    const command = await ace.create(InvitesExpire, [])
    command.ui.switchMode('raw')
    await command.exec()
    assert.equal(command.exitCode, 0)

    for (const { invite } of due) {
      await invite.refresh()
      assert.equal(invite.status, 'expired')
    }
    await fresh.refresh()
    assert.equal(fresh.status, 'pending')
    assert.equal(await expiredEvents(), 2)

    assert.equal(await expireInvites(), 0)
    assert.equal(await expiredEvents(), 2)
  })

  test('two runs at once expire every invite exactly once', async ({ assert }) => {
    for (let i = 0; i < 6; i++) {
      await expiredInvite()
    }
    const [first, second] = await Promise.all([expireInvites(2), expireInvites(2)])
    assert.equal(first + second, 6)
    assert.equal(await expiredEvents(), 6)
    const pending = await db.from('invites').where('status', 'pending').count('* as total').first()
    assert.equal(Number(pending.total), 0)
  })

  test('the outbox consumer expires lapsed invites and tells both sides, with no invites:expire run', async ({
    assert,
  }) => {
    const { brand, creator, invite } = await expiredInvite()

    const command = await ace.create(OutboxConsume, ['--once'])
    await command.exec()

    assert.equal(command.exitCode ?? 0, 0)
    assert.equal((await Invite.findOrFail(invite.id)).status, 'expired')
    assert.equal(await expiredEvents(), 1)
    const told = await db
      .from('notifications')
      .where('type', 'invite_expired')
      .orderBy('user_id')
      .select('user_id')
    assert.deepEqual(
      told.map((row) => Number(row.user_id)),
      [brand.user.id, creator.user.id].sort((a, b) => a - b)
    )
  })

  test('a worker turn expires one batch; a one-off consumer run drains a backlog beyond it', async ({
    assert,
  }) => {
    const backlog = INVITE_EXPIRY_BATCH + 5
    await insertLapsedInvites(backlog)

    assert.equal(await expireInvites(2, 1), 2, 'one batch of two')

    const command = await ace.create(OutboxConsume, ['--once'])
    await command.exec()
    assert.equal(command.exitCode ?? 0, 0)
    const pending = await db.from('invites').where('status', 'pending').count('* as total').first()
    assert.equal(Number(pending.total), 0)
    assert.equal(await expiredEvents(), backlog)
  }).timeout(60_000)
})
