import type { ApiClient } from '@japa/api-client'
import type Deal from '#models/deal'
import db from '@adonisjs/lucid/services/db'
import { signProviderPayload } from '#services/payments/handle_provider_webhook'
import { dbNow } from '#services/database/timestamps'
import {
  creatorWithBalance,
  dealIn,
  party,
  payoutIn,
  tokenOf,
  userOf,
} from '#tests/support/marketplace'
import type { RouteProbes } from '#tests/support/probes/types'

async function creatorWithBalanceUser() {
  const { user } = await creatorWithBalance()
  return user
}

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789'

export async function signedWebhook(body: Record<string, unknown>) {
  const raw = JSON.stringify(body)
  return { raw, signature: signProviderPayload(raw, WEBHOOK_SECRET) }
}

/** The provider's signed confirmation of a deal's payment. */
export async function confirmPayment(
  client: ApiClient,
  deal: Pick<Deal, 'id' | 'amount'>,
  eventId: string
) {
  const { raw, signature } = await signedWebhook({
    eventId,
    type: 'payment.succeeded',
    dealId: deal.id,
    amount: deal.amount,
  })
  return client
    .post('/api/payments/webhook')
    .header('x-payment-signature', signature)
    .json(JSON.parse(raw))
}

/**
 * One success and one failure for each money route.
 */
async function deadEventId() {
  const now = dbNow()
  const [row] = await db
    .table('outbox_events')
    .insert({
      type: 'deal.funded',
      aggregate_type: 'deal',
      aggregate_id: 1,
      payload: '{}',
      meta: '{"requestId":null,"actorId":null}',
      status: 'dead',
      attempts: 8,
      next_attempt_at: now,
      created_at: now,
    })
    .returning('id')
  return Number(typeof row === 'object' ? row.id : row)
}

export const PAYMENT_PROBES: Record<string, RouteProbes> = {
  'POST /api/telegram/binding': {
    success: async (client) =>
      client.post('/api/telegram/binding').bearerToken(await tokenOf('creator')),
    failure: (client) => client.post('/api/telegram/binding'),
  },
  'GET /api/telegram/binding': {
    success: async (client) =>
      client.get('/api/telegram/binding').bearerToken(await tokenOf('brand')),
    failure: (client) => client.get('/api/telegram/binding').bearerToken('clb_bad.token'),
  },
  'DELETE /api/telegram/binding': {
    success: async (client) => {
      const token = await tokenOf('creator')
      await client.post('/api/telegram/binding').bearerToken(token)
      return client.delete('/api/telegram/binding').bearerToken(token)
    },
    failure: async (client) =>
      client.delete('/api/telegram/binding').bearerToken(await tokenOf('creator')),
  },
  'GET /api/admin/outbox': {
    success: async (client) =>
      client.get('/api/admin/outbox?status=dead').bearerToken(await tokenOf('admin')),
    failure: async (client) => client.get('/api/admin/outbox').bearerToken(await tokenOf('brand')),
  },
  'POST /api/admin/outbox/:id/retry': {
    success: async (client) =>
      client
        .post(`/api/admin/outbox/${await deadEventId()}/retry`)
        .bearerToken(await tokenOf('admin')),
    failure: async (client) =>
      client.post('/api/admin/outbox/999999/retry').bearerToken(await tokenOf('admin')),
  },
  'POST /api/payments/webhook': {
    success: async (client) => {
      const deal = await dealIn('awaiting_funding', await userOf('brand'), await userOf('creator'))
      const { raw, signature } = await signedWebhook({
        eventId: `evt-${deal.id}`,
        type: 'payment.succeeded',
        dealId: deal.id,
        amount: deal.amount,
      })
      return client
        .post('/api/payments/webhook')
        .header('content-type', 'application/json')
        .header('x-payment-signature', signature)
        .json(JSON.parse(raw))
    },
    failure: (client) =>
      client
        .post('/api/payments/webhook')
        .header('x-payment-signature', `sha256=${'0'.repeat(64)}`)
        .json({ eventId: 'forged', type: 'payment.succeeded', dealId: 1, amount: 1 }),
  },
  'POST /api/deals/:id/fund': {
    success: async (client) => {
      const brand = await party('brand')
      const deal = await dealIn('awaiting_funding', brand.user, await userOf('creator'))
      return client.post(`/api/deals/${deal.id}/fund`).bearerToken(brand.token)
    },
    failure: async (client) => {
      const creator = await party('creator')
      const deal = await dealIn('awaiting_funding', await userOf('brand'), creator.user)
      return client.post(`/api/deals/${deal.id}/fund`).bearerToken(creator.token)
    },
  },
  'POST /api/deals/:id/approve': {
    success: async (client) => {
      const brand = await party('brand')
      const deal = await dealIn('submitted', brand.user, await userOf('creator'))
      return client.post(`/api/deals/${deal.id}/approve`).bearerToken(brand.token)
    },
    failure: async (client) => {
      const brand = await party('brand')
      const deal = await dealIn('funded', brand.user, await userOf('creator'))
      return client.post(`/api/deals/${deal.id}/approve`).bearerToken(brand.token)
    },
  },
  'GET /api/balance': {
    success: async (client) => client.get('/api/balance').bearerToken(await tokenOf('creator')),
    failure: (client) => client.get('/api/balance'),
  },
  'GET /api/ledger': {
    success: async (client) => client.get('/api/ledger').bearerToken(await tokenOf('brand')),
    failure: async (client) =>
      client.get('/api/ledger?perPage=0').bearerToken(await tokenOf('brand')),
  },
  'POST /api/payouts': {
    success: async (client) => {
      const creator = await creatorWithBalance()
      return client.post('/api/payouts').bearerToken(creator.token).json({ amount: 100_000 })
    },
    failure: async (client) =>
      client
        .post('/api/payouts')
        .bearerToken(await tokenOf('creator'))
        .json({ amount: 0 }),
  },
  'GET /api/payouts': {
    success: async (client) => client.get('/api/payouts').bearerToken(await tokenOf('creator')),
    failure: async (client) =>
      client.get('/api/payouts?status=lost').bearerToken(await tokenOf('creator')),
  },
  'GET /api/admin/payouts': {
    success: async (client) =>
      client.get('/api/admin/payouts?status=requested').bearerToken(await tokenOf('admin')),
    failure: async (client) =>
      client.get('/api/admin/payouts').bearerToken(await tokenOf('creator')),
  },
  'POST /api/admin/payouts/:id/approve': {
    success: async (client) => {
      const payout = await payoutIn('requested', await creatorWithBalanceUser())
      return client
        .post(`/api/admin/payouts/${payout.id}/approve`)
        .bearerToken(await tokenOf('admin'))
    },
    failure: async (client) => {
      const payout = await payoutIn('requested', await creatorWithBalanceUser())
      return client
        .post(`/api/admin/payouts/${payout.id}/approve`)
        .bearerToken(await tokenOf('brand'))
    },
  },
  'POST /api/admin/payouts/:id/reject': {
    success: async (client) => {
      const payout = await payoutIn('approved', await creatorWithBalanceUser())
      return client
        .post(`/api/admin/payouts/${payout.id}/reject`)
        .bearerToken(await tokenOf('admin'))
    },
    failure: async (client) =>
      client.post('/api/admin/payouts/999999/reject').bearerToken(await tokenOf('admin')),
  },
  'POST /api/admin/payouts/:id/mark-paid': {
    success: async (client) => {
      const payout = await payoutIn('approved', await creatorWithBalanceUser())
      return client
        .post(`/api/admin/payouts/${payout.id}/mark-paid`)
        .bearerToken(await tokenOf('admin'))
    },
    failure: async (client) => {
      const payout = await payoutIn('requested', await creatorWithBalanceUser())
      return client
        .post(`/api/admin/payouts/${payout.id}/mark-paid`)
        .bearerToken(await tokenOf('admin'))
    },
  },
}
