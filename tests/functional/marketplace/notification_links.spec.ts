import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { appUrl } from '#config/app'
import { NOTIFICATION_MAP, type NotificationRule } from '#services/notifications/notification_map'
import { notificationPath } from '#services/notifications/notification_link'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import { renderTelegramMessage } from '#services/telegram/telegram_message'
import {
  approveApplication,
  rejectApplication,
  withdrawApplication,
} from '#services/applications/decide_application'
import { acceptInvite, declineInvite, withdrawInvite } from '#services/invites/answer_invite'
import { requestChanges } from '#services/deals/request_changes'
import { requestPayout } from '#services/payouts/request_payout'
import { rejectPayout } from '#services/payouts/decide_payout'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import {
  as,
  creatorWithBalance,
  dealIn,
  party,
  payoutIn,
  pendingApplication,
  pendingInvite,
  publishedOffer,
  userOf,
} from '#tests/support/marketplace'
import { WebAgent } from '#tests/support/web_agent'

const telegramTypes = new Set(
  Object.values(NOTIFICATION_MAP)
    .flatMap((rules) => rules as readonly NotificationRule[])
    .filter((rule) => rule.telegram)
    .map((rule) => rule.notification)
)

/** A notification row's payload: JSON text on SQLite, parsed already on PostgreSQL. */
function payloadOf(row: { payload: unknown }) {
  return typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload
}

async function drain() {
  for (;;) {
    const { seen } = await consumeOutboxBatch()
    if (seen === 0) return
  }
}

/**
 * Every kind of notification a brand and a creator get over a deal's life,
 * made through the real operations.
 */
async function everyNotification() {
  const brand = (await party('brand')).user
  const creator = (await creatorWithBalance()).user
  const admin = await userOf('admin')

  const changed = await dealIn('submitted', brand, creator)
  await requestChanges(as(brand), changed, 'Добавьте ссылку в описание')
  await dealIn('refunded', brand, creator)
  await dealIn('cancelled', brand, creator)

  const offer = await publishedOffer(brand)
  await acceptInvite(as(creator), await pendingInvite(offer, creator))
  const declinedOffer = await publishedOffer(brand)
  await declineInvite(as(creator), await pendingInvite(declinedOffer, creator))
  const withdrawnOffer = await publishedOffer(brand)
  await withdrawInvite(as(brand), await pendingInvite(withdrawnOffer, creator))
  await pendingInvite(await publishedOffer(brand), creator)

  const rejectedOffer = await publishedOffer(brand)
  await rejectApplication(as(brand), await pendingApplication(rejectedOffer, creator))
  const withdrawnFrom = await publishedOffer(brand)
  await withdrawApplication(as(creator), await pendingApplication(withdrawnFrom, creator))

  await payoutIn('paid', creator)
  await rejectPayout(as(admin), (await requestPayout(as(creator), 10_000)).id)

  await drain()
  return db
    .from('notifications')
    .whereIn('user_id', [brand.id, creator.id])
    .orderBy('id')
    .select('user_id', 'type', 'payload', 'telegram')
}

test.group('where a notification leads', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('every notification, in the app and on its Telegram button, opens a page its recipient can see', async ({
    assert,
  }) => {
    const notifications = await everyNotification()
    const agents = new Map<number, WebAgent>()
    const seenTelegramTypes = new Set<string>()
    for (const notification of notifications) {
      const userId = Number(notification.user_id)
      const payload = payloadOf(notification)
      const path = notificationPath(notification.type, payload)
      assert.isNotNull(path, notification.type)

      if (notification.telegram) {
        seenTelegramTypes.add(notification.type)
        const message = renderTelegramMessage(notification.type, payload)!
        assert.equal(message.button.url, `${appUrl}${path}`, notification.type)
      }

      if (!agents.has(userId)) {
        const agent = new WebAgent()
        await agent.signIn(await User.findOrFail(userId))
        agents.set(userId, agent)
      }
      const page = await agents.get(userId)!.get(path!)
      assert.equal(page.status, 200, `${notification.type} → ${path}`)
      assert.equal(page.url, path, `${notification.type} → ${path} must not redirect`)
    }
    assert.sameMembers([...seenTelegramTypes], [...telegramTypes])
  })

  test('approved and accepted lead to the deal they opened', async ({ assert }) => {
    const brand = (await party('brand')).user
    const creator = (await party('creator')).user
    const applied = await pendingApplication(await publishedOffer(brand), creator)
    const approved = await approveApplication(as(brand), applied)
    const invited = await pendingInvite(await publishedOffer(brand), creator)
    const accepted = await acceptInvite(as(creator), invited)
    await drain()

    const approvedNote = await db
      .from('notifications')
      .where({ user_id: creator.id, type: 'application_approved' })
      .firstOrFail()
    const acceptedNote = await db
      .from('notifications')
      .where({ user_id: brand.id, type: 'invite_accepted' })
      .firstOrFail()
    assert.equal(
      notificationPath('application_approved', payloadOf(approvedNote)),
      `/deals/${approved.deal.id}`
    )
    assert.equal(
      notificationPath('invite_accepted', payloadOf(acceptedNote)),
      `/deals/${accepted.deal.id}`
    )
    assert.equal(
      renderTelegramMessage('invite_accepted', payloadOf(acceptedNote))!.button.url,
      `${appUrl}/deals/${accepted.deal.id}`
    )
  })

  test('a payload without a usable id leads to the notification list on Telegram', ({ assert }) => {
    for (const dealId of [undefined, 0, -1, 1.5, 'x', 2 ** 60]) {
      const message = renderTelegramMessage('deal_funded', { dealId })!
      assert.equal(message.button.url, `${appUrl}/notifications`, String(dealId))
    }
    assert.equal(
      renderTelegramMessage('payout_paid', { payoutId: 3 })!.button.url,
      `${appUrl}/balance`
    )
  })
})
