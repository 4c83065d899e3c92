import type { ApiClient, ApiRequest, ApiResponse } from '@japa/api-client'
import {
  creatorWithBalance,
  dealIn,
  party,
  payoutIn,
  tokenOf,
  userOf,
} from '#tests/support/marketplace'

function withKey(request: ApiRequest, key?: string) {
  return key ? request.header('Idempotency-Key', key) : request
}

async function creatorWithBalanceUser() {
  const { user } = await creatorWithBalance()
  return user
}

export type MoneyOperation = {
  name: string
  prepare: () => Promise<{
    send: (client: ApiClient, idempotencyKey?: string) => Promise<ApiResponse>
    expect: string
  }>
}

/**
 * Each money operation with what it should leave behind: the fixture puts
 * the object in the state the operation starts from.
 */
export const MONEY_OPERATIONS: MoneyOperation[] = [
  {
    name: 'fund',
    prepare: async () => {
      const brand = await party('brand')
      const deal = await dealIn('awaiting_funding', brand.user, await userOf('creator'))
      return {
        send: (client, key) =>
          withKey(client.post(`/api/deals/${deal.id}/fund`).bearerToken(brand.token), key),
        expect: 'funded',
      }
    },
  },
  {
    name: 'release',
    prepare: async () => {
      const brand = await party('brand')
      const deal = await dealIn('submitted', brand.user, await userOf('creator'))
      return {
        send: (client, key) =>
          withKey(client.post(`/api/deals/${deal.id}/approve`).bearerToken(brand.token), key),
        expect: 'completed',
      }
    },
  },
  {
    name: 'refund',
    prepare: async () => {
      const brand = await party('brand')
      const deal = await dealIn('funded', brand.user, await userOf('creator'))
      return {
        send: (client, key) =>
          withKey(client.post(`/api/deals/${deal.id}/cancel`).bearerToken(brand.token), key),
        expect: 'refunded',
      }
    },
  },
  {
    name: 'payout approve',
    prepare: async () => {
      const payout = await payoutIn('requested', await creatorWithBalanceUser())
      const admin = await tokenOf('admin')
      return {
        send: (client, key) =>
          withKey(client.post(`/api/admin/payouts/${payout.id}/approve`).bearerToken(admin), key),
        expect: 'approved',
      }
    },
  },
  {
    name: 'payout reject',
    prepare: async () => {
      const payout = await payoutIn('approved', await creatorWithBalanceUser())
      const admin = await tokenOf('admin')
      return {
        send: (client, key) =>
          withKey(client.post(`/api/admin/payouts/${payout.id}/reject`).bearerToken(admin), key),
        expect: 'rejected',
      }
    },
  },
  {
    name: 'payout mark-paid',
    prepare: async () => {
      const payout = await payoutIn('approved', await creatorWithBalanceUser())
      const admin = await tokenOf('admin')
      return {
        send: (client, key) =>
          withKey(client.post(`/api/admin/payouts/${payout.id}/mark-paid`).bearerToken(admin), key),
        expect: 'paid',
      }
    },
  },
]
