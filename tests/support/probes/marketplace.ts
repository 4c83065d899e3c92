import Notification from '#models/notification'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import {
  dealIn,
  draftOffer,
  party,
  pendingApplication,
  pendingInvite,
  publishedOffer,
  tokenOf,
  userOf,
} from '#tests/support/marketplace'
import type { RouteProbes } from '#tests/support/probes/types'

async function creatorWithNotification() {
  const creator = await party('creator')
  const offer = await publishedOffer(await userOf('brand'))
  await pendingInvite(offer, creator.user)
  await consumeOutboxBatch()
  const notification = await Notification.findByOrFail('user_id', creator.user.id)
  return { creator, notification }
}

/**
 * One success and one failure for each marketplace route.
 */
export const MARKETPLACE_PROBES: Record<string, RouteProbes> = {
  'GET /api/offers': {
    success: async (client) => client.get('/api/offers').bearerToken(await tokenOf('creator')),
    failure: async (client) =>
      client.get('/api/offers?perPage=1000').bearerToken(await tokenOf('creator')),
  },
  'POST /api/offers': {
    success: async (client) =>
      client
        .post('/api/offers')
        .bearerToken(await tokenOf('brand'))
        .json({ title: 'Новая реклама', brief: 'Описание', budget: 100_000 }),
    failure: async (client) =>
      client
        .post('/api/offers')
        .bearerToken(await tokenOf('creator'))
        .json({ title: 'Новая реклама', brief: 'Описание', budget: 100_000 }),
  },
  'GET /api/offers/:id': {
    success: async (client) => {
      const brand = await party('brand')
      const offer = await draftOffer(brand.user)
      return client.get(`/api/offers/${offer.id}`).bearerToken(brand.token)
    },
    failure: async (client) => {
      const offer = await draftOffer(await userOf('brand'))
      return client.get(`/api/offers/${offer.id}`).bearerToken(await tokenOf('creator'))
    },
  },
  'PATCH /api/offers/:id': {
    success: async (client) => {
      const brand = await party('brand')
      const offer = await draftOffer(brand.user)
      return client.patch(`/api/offers/${offer.id}`).bearerToken(brand.token).json({ budget: 7000 })
    },
    failure: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      return client.patch(`/api/offers/${offer.id}`).bearerToken(brand.token).json({ budget: 7000 })
    },
  },
  'POST /api/offers/:id/publish': {
    success: async (client) => {
      const brand = await party('brand')
      const offer = await draftOffer(brand.user)
      return client.post(`/api/offers/${offer.id}/publish`).bearerToken(brand.token)
    },
    failure: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      return client.post(`/api/offers/${offer.id}/publish`).bearerToken(brand.token)
    },
  },
  'POST /api/offers/:id/close': {
    success: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      return client.post(`/api/offers/${offer.id}/close`).bearerToken(brand.token)
    },
    failure: async (client) =>
      client.post('/api/offers/999999/close').bearerToken(await tokenOf('brand')),
  },
  'POST /api/offers/:id/applications': {
    success: async (client) => {
      const offer = await publishedOffer(await userOf('brand'))
      return client
        .post(`/api/offers/${offer.id}/applications`)
        .bearerToken(await tokenOf('creator'))
        .json({ message: 'Готов снять' })
    },
    failure: async (client) => {
      const offer = await publishedOffer(await userOf('brand'))
      return client
        .post(`/api/offers/${offer.id}/applications`)
        .bearerToken(await tokenOf('creator'))
        .json({ message: 'x'.repeat(3000) })
    },
  },
  'GET /api/applications': {
    success: async (client) =>
      client.get('/api/applications?status=pending').bearerToken(await tokenOf('brand')),
    failure: async (client) =>
      client.get('/api/applications?status=nope').bearerToken(await tokenOf('brand')),
  },
  'POST /api/applications/:id/withdraw': {
    success: async (client) => {
      const creator = await party('creator')
      const offer = await publishedOffer(await userOf('brand'))
      const application = await pendingApplication(offer, creator.user)
      return client.post(`/api/applications/${application.id}/withdraw`).bearerToken(creator.token)
    },
    failure: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      const application = await pendingApplication(offer, await userOf('creator'))
      return client.post(`/api/applications/${application.id}/withdraw`).bearerToken(brand.token)
    },
  },
  'POST /api/applications/:id/approve': {
    success: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      const application = await pendingApplication(offer, await userOf('creator'))
      return client.post(`/api/applications/${application.id}/approve`).bearerToken(brand.token)
    },
    failure: async (client) => {
      const offer = await publishedOffer(await userOf('brand'))
      const application = await pendingApplication(offer, await userOf('creator'))
      return client
        .post(`/api/applications/${application.id}/approve`)
        .bearerToken(await tokenOf('brand'))
    },
  },
  'POST /api/applications/:id/reject': {
    success: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      const application = await pendingApplication(offer, await userOf('creator'))
      return client.post(`/api/applications/${application.id}/reject`).bearerToken(brand.token)
    },
    failure: (client) => client.post('/api/applications/1/reject'),
  },
  'POST /api/offers/:id/invites': {
    success: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      const creator = await party('creator')
      return client
        .post(`/api/offers/${offer.id}/invites`)
        .bearerToken(brand.token)
        .json({ creatorId: creator.user.id })
    },
    failure: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      return client
        .post(`/api/offers/${offer.id}/invites`)
        .bearerToken(brand.token)
        .json({ creatorId: 'seven' })
    },
  },
  'GET /api/invites': {
    success: async (client) => client.get('/api/invites').bearerToken(await tokenOf('creator')),
    failure: (client) => client.get('/api/invites'),
  },
  'POST /api/invites/:id/accept': {
    success: async (client) => {
      const creator = await party('creator')
      const offer = await publishedOffer(await userOf('brand'))
      const invite = await pendingInvite(offer, creator.user)
      return client.post(`/api/invites/${invite.id}/accept`).bearerToken(creator.token)
    },
    failure: async (client) => {
      const offer = await publishedOffer(await userOf('brand'))
      const invite = await pendingInvite(offer, await userOf('creator'))
      return client.post(`/api/invites/${invite.id}/accept`).bearerToken(await tokenOf('creator'))
    },
  },
  'POST /api/invites/:id/decline': {
    success: async (client) => {
      const creator = await party('creator')
      const offer = await publishedOffer(await userOf('brand'))
      const invite = await pendingInvite(offer, creator.user)
      return client.post(`/api/invites/${invite.id}/decline`).bearerToken(creator.token)
    },
    failure: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      const invite = await pendingInvite(offer, await userOf('creator'))
      return client.post(`/api/invites/${invite.id}/decline`).bearerToken(brand.token)
    },
  },
  'POST /api/invites/:id/withdraw': {
    success: async (client) => {
      const brand = await party('brand')
      const offer = await publishedOffer(brand.user)
      const invite = await pendingInvite(offer, await userOf('creator'))
      return client.post(`/api/invites/${invite.id}/withdraw`).bearerToken(brand.token)
    },
    failure: async (client) => {
      const creator = await party('creator')
      const offer = await publishedOffer(await userOf('brand'))
      const invite = await pendingInvite(offer, creator.user)
      return client.post(`/api/invites/${invite.id}/withdraw`).bearerToken(creator.token)
    },
  },
  'GET /api/deals': {
    success: async (client) => client.get('/api/deals').bearerToken(await tokenOf('brand')),
    failure: async (client) => client.get('/api/deals?page=0').bearerToken(await tokenOf('brand')),
  },
  'GET /api/deals/:id': {
    success: async (client) => {
      const brand = await party('brand')
      const deal = await dealIn('awaiting_funding', brand.user, await userOf('creator'))
      return client.get(`/api/deals/${deal.id}`).bearerToken(brand.token)
    },
    failure: async (client) => {
      const brand = await userOf('brand')
      const deal = await dealIn('awaiting_funding', brand, await userOf('creator'))
      return client.get(`/api/deals/${deal.id}`).bearerToken(await tokenOf('brand'))
    },
  },
  'POST /api/deals/:id/submit': {
    success: async (client) => {
      const creator = await party('creator')
      const deal = await dealIn('funded', await userOf('brand'), creator.user)
      return client
        .post(`/api/deals/${deal.id}/submit`)
        .bearerToken(creator.token)
        .json({ url: 'https://video.example/1' })
    },
    failure: async (client) => {
      const creator = await party('creator')
      const deal = await dealIn('awaiting_funding', await userOf('brand'), creator.user)
      return client
        .post(`/api/deals/${deal.id}/submit`)
        .bearerToken(creator.token)
        .json({ url: 'https://video.example/1' })
    },
  },
  'POST /api/deals/:id/request-changes': {
    success: async (client) => {
      const brand = await party('brand')
      const creator = await party('creator')
      const deal = await dealIn('funded', brand.user, creator.user)
      await client
        .post(`/api/deals/${deal.id}/submit`)
        .bearerToken(creator.token)
        .json({ url: 'https://video.example/1' })
      return client
        .post(`/api/deals/${deal.id}/request-changes`)
        .bearerToken(brand.token)
        .json({ reason: 'Добавьте логотип' })
    },
    failure: async (client) => {
      const brand = await party('brand')
      const deal = await dealIn('submitted', brand.user, await userOf('creator'))
      return client.post(`/api/deals/${deal.id}/request-changes`).bearerToken(brand.token).json({})
    },
  },
  'POST /api/deals/:id/cancel': {
    success: async (client) => {
      const brand = await party('brand')
      const deal = await dealIn('awaiting_funding', brand.user, await userOf('creator'))
      return client.post(`/api/deals/${deal.id}/cancel`).bearerToken(brand.token)
    },
    failure: async (client) => {
      const creator = await party('creator')
      const deal = await dealIn('awaiting_funding', await userOf('brand'), creator.user)
      return client.post(`/api/deals/${deal.id}/cancel`).bearerToken(creator.token)
    },
  },
  'GET /api/notifications': {
    success: async (client) =>
      client.get('/api/notifications?unread=true').bearerToken(await tokenOf('creator')),
    failure: async (client) =>
      client.get('/api/notifications?unread=maybe').bearerToken(await tokenOf('creator')),
  },
  'GET /api/notifications/unread-count': {
    success: async (client) =>
      client.get('/api/notifications/unread-count').bearerToken(await tokenOf('creator')),
    failure: (client) => client.get('/api/notifications/unread-count').bearerToken('clb_x.y'),
  },
  'POST /api/notifications/:id/read': {
    success: async (client) => {
      const { creator, notification } = await creatorWithNotification()
      return client.post(`/api/notifications/${notification.id}/read`).bearerToken(creator.token)
    },
    failure: async (client) => {
      const { notification } = await creatorWithNotification()
      return client
        .post(`/api/notifications/${notification.id}/read`)
        .bearerToken(await tokenOf('creator'))
    },
  },
  'POST /api/notifications/read-all': {
    success: async (client) =>
      client.post('/api/notifications/read-all').bearerToken(await tokenOf('brand')),
    failure: (client) => client.post('/api/notifications/read-all'),
  },
}
