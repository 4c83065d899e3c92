import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { balanceOfAccount, ledgerCounts } from '#tests/support/ledger'
import { confirmPayment } from '#tests/support/probes/payments'
import { dealIn, party } from '#tests/support/marketplace'
import Deal from '#models/deal'
import { SandboxPaymentProvider } from '#services/payments/sandbox_provider'
import type { ChargeRequest, ChargeResult } from '#services/payments/payment_provider'
import { verifyLedger } from '#services/ledger/verify_ledger'
import { accounts } from '#services/ledger/accounts'

/**
 * The sandbox, slowed down like a real provider's round trip, keeping the
 * charges it was asked for, and answering with the status it is told to.
 */
class RecordingProvider extends SandboxPaymentProvider {
  readonly charges: ChargeRequest[] = []
  answer: ChargeResult['status'] = 'confirmed'

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.charges.push(request)
    await sleep(40)
    const result = await super.charge(request)
    return { ...result, status: this.answer }
  }
}

async function fundTransactions(dealId: number) {
  const row = await db
    .from('ledger_transactions')
    .where({ deal_id: dealId, kind: 'fund' })
    .count('* as total')
    .first()
  return Number(row.total)
}

async function dealToFund() {
  const brand = await party('brand')
  const creator = await party('creator')
  return { brand, deal: await dealIn('awaiting_funding', brand.user, creator.user) }
}

async function dealTransactions(dealId: number) {
  const rows = await db
    .from('ledger_transactions')
    .where('deal_id', dealId)
    .orderBy('id')
    .select('kind', 'reference')
  return rows.map((row) => `${row.kind} ${row.reference}`)
}

async function untilCharged(provider: RecordingProvider) {
  while (provider.charges.length === 0) {
    await sleep(2)
  }
}

test.group('payments: the brand is charged once', (group) => {
  let provider: RecordingProvider

  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
    provider = new RecordingProvider()
    app.container.swap(SandboxPaymentProvider, () => provider)
    return () => app.container.restore(SandboxPaymentProvider)
  })

  test('10 concurrent funds of one deal, each with its own key, charge the brand once', async ({
    client,
    assert,
  }) => {
    const { brand, deal } = await dealToFund()

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, attempt) =>
        client
          .post(`/api/deals/${deal.id}/fund`)
          .bearerToken(brand.token)
          .header('Idempotency-Key', `double-click-${attempt}`)
      )
    )

    for (const response of responses) {
      response.assertStatus(200)
      assert.equal(response.body().data.deal.status, 'funded')
    }
    assert.lengthOf(
      responses.filter((response) => response.body().data.replayed === false),
      1
    )
    assert.lengthOf(provider.charges, 1)
    assert.deepInclude(provider.charges[0], { dealId: deal.id, amount: deal.amount })
    assert.equal(await fundTransactions(deal.id), 1)
    assert.deepEqual(await verifyLedger(), [])
  })

  test('a cancel sent while the charge is under way waits for it, then refunds the paid deal', async ({
    client,
    assert,
  }) => {
    const { brand, deal } = await dealToFund()

    const funding = client.post(`/api/deals/${deal.id}/fund`).bearerToken(brand.token)
    const charged = untilCharged(provider)
    const [fund, cancel] = await Promise.all([
      funding,
      charged.then(() => client.post(`/api/deals/${deal.id}/cancel`).bearerToken(brand.token)),
    ])

    fund.assertStatus(200)
    assert.equal(fund.body().data.deal.status, 'funded')
    cancel.assertStatus(200)
    assert.equal(cancel.body().data.deal.status, 'refunded')
    assert.lengthOf(provider.charges, 1)
    assert.equal(await fundTransactions(deal.id), 1)
    const refunds = await db
      .from('ledger_transactions')
      .where({ deal_id: deal.id, kind: 'refund' })
      .count('* as total')
    assert.equal(Number(refunds[0].total), 1)
    assert.deepEqual(await verifyLedger(), [])
  })

  test('a charge the provider does not confirm moves nothing, and a later fund charges again', async ({
    client,
    assert,
  }) => {
    const { brand, deal } = await dealToFund()
    const before = await ledgerCounts()
    provider.answer = 'pending'

    const pending = await client.post(`/api/deals/${deal.id}/fund`).bearerToken(brand.token)

    pending.assertStatus(409)
    assert.equal(pending.body().error.code, 'CONFLICT')
    assert.equal((await Deal.findOrFail(deal.id)).status, 'awaiting_funding')
    assert.deepEqual(await ledgerCounts(), before)
    const events = await db.from('outbox_events').where('type', 'deal.funded').count('* as total')
    assert.equal(Number(events[0].total), 0)

    provider.answer = 'confirmed'
    const confirmed = await client.post(`/api/deals/${deal.id}/fund`).bearerToken(brand.token)
    confirmed.assertStatus(200)
    assert.lengthOf(provider.charges, 2)
    assert.equal(await fundTransactions(deal.id), 1)
  })

  test('a charge left pending, a cancel, then the provider confirms it: the money is booked and refunded once', async ({
    client,
    assert,
  }) => {
    const { brand, deal } = await dealToFund()
    provider.answer = 'pending'
    ;(await client.post(`/api/deals/${deal.id}/fund`).bearerToken(brand.token)).assertStatus(409)
    const cancel = await client.post(`/api/deals/${deal.id}/cancel`).bearerToken(brand.token)
    cancel.assertStatus(200)
    assert.equal(cancel.body().data.deal.status, 'cancelled')

    const confirmed = await confirmPayment(client, deal, 'evt-after-cancel')

    confirmed.assertStatus(200)
    assert.include(confirmed.body().data, { duplicate: false, dealStatus: 'refunded' })
    assert.deepEqual(await dealTransactions(deal.id), [
      `fund deal:${deal.id}:fund`,
      `refund deal:${deal.id}:refund`,
    ])
    assert.equal(await balanceOfAccount(accounts.escrow(deal.id)), 0)
    assert.equal(await balanceOfAccount(accounts.brandFunding), 0)
    const refunded = await db
      .from('outbox_events')
      .where({ type: 'deal.refunded', aggregate_id: deal.id })
      .count('* as total')
    assert.equal(Number(refunded[0].total), 1)
    assert.deepEqual(await verifyLedger(), [])

    const after = await ledgerCounts()
    const replay = await confirmPayment(client, deal, 'evt-after-cancel')
    replay.assertStatus(200)
    assert.include(replay.body().data, { duplicate: true, dealStatus: 'refunded' })
    const redelivered = await confirmPayment(client, deal, 'evt-after-cancel-again')
    redelivered.assertStatus(200)
    assert.include(redelivered.body().data, { outcome: 'replayed', dealStatus: 'refunded' })
    const fundAgain = await client.post(`/api/deals/${deal.id}/fund`).bearerToken(brand.token)
    fundAgain.assertStatus(200)
    assert.include(fundAgain.body().data, { replayed: true })
    assert.equal(fundAgain.body().data.deal.status, 'refunded')
    assert.deepEqual(await ledgerCounts(), after)
    assert.lengthOf(provider.charges, 1)
  })

  test('a cancel and the provider confirmation at once: the deal ends refunded with the money in and out once', async ({
    client,
    assert,
  }) => {
    for (let round = 0; round < 10; round++) {
      const { brand, deal } = await dealToFund()
      const cancelling = () => client.post(`/api/deals/${deal.id}/cancel`).bearerToken(brand.token)
      const confirming = () => confirmPayment(client, deal, `evt-race-${round}`)
      // Each sent first in turn, so that both orders happen.
      const [cancel, confirmed] =
        round % 2 === 0
          ? await Promise.all([cancelling(), confirming()])
          : (await Promise.all([confirming(), cancelling()])).reverse()
      cancel.assertStatus(200)
      confirmed.assertStatus(200)
      assert.equal((await Deal.findOrFail(deal.id)).status, 'refunded')
      assert.deepEqual(await dealTransactions(deal.id), [
        `fund deal:${deal.id}:fund`,
        `refund deal:${deal.id}:refund`,
      ])
    }
    assert.deepEqual(await verifyLedger(), [])
  })
})
