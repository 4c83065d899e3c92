import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import type Deal from '#models/deal'
import paymentsConfig from '#config/payments'
import { DomainError } from '#exceptions/domain_error'
import { truncateAll } from '#tests/support/database'
import { as, dealIn, party } from '#tests/support/marketplace'
import { fundDeal } from '#services/payments/fund_deal'
import { releaseEscrow } from '#services/payments/release_escrow'
import { cancelDeal } from '#services/deals/cancel_deal'
import { submitWork } from '#services/deals/submit_work'
import { requestChanges } from '#services/deals/request_changes'
import { requestPayout } from '#services/payouts/request_payout'
import { approvePayout, markPayoutPaid, rejectPayout } from '#services/payouts/decide_payout'
import { splitRelease } from '#services/payments/platform_fee'
import { balanceOf } from '#services/ledger/balances'
import { verifyLedger } from '#services/ledger/verify_ledger'
import DealModel from '#models/deal'

/**
 * A small deterministic PRNG (mulberry32), so a failing run can be replayed
 * from its seed.
 */
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type ModelDeal = {
  id: number
  brand: User
  creator: User
  amount: number
  status: Deal['status']
  submitted: boolean
}
type ModelPayout = {
  id: number
  creator: User
  amount: number
  status: 'requested' | 'approved' | 'paid' | 'rejected'
  approvedOnce: boolean
}

const SEED = Number(process.env.LEDGER_FUZZ_SEED ?? 20261126)
const SEQUENCES = 1000

test.group('payments: randomized operations against an in-memory model', (group) => {
  group.each.setup(() => truncateAll())
  group.each.timeout(300_000)

  test(`1000 random sequences with retries keep the ledger equal to the model (seed ${SEED})`, async ({
    assert,
  }) => {
    const next = random(SEED)
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]

    const admin = (await party('admin')).user
    const brands = [(await party('brand')).user, (await party('brand')).user]
    const creators = [
      (await party('creator')).user,
      (await party('creator')).user,
      (await party('creator')).user,
    ]

    const deals: ModelDeal[] = []
    const payouts: ModelPayout[] = []
    const wallet = new Map(creators.map((c) => [c.id, { available: 0, onHold: 0, paidOut: 0 }]))
    const brandBooks = new Map(brands.map((b) => [b.id, { inEscrow: 0, released: 0, refunded: 0 }]))
    let fees = 0

    async function openDeal() {
      const brand = pick(brands)
      const creator = pick(creators)
      const deal = await dealIn('awaiting_funding', brand, creator)
      const amount = 1 + Math.floor(next() * 300_000)
      await DealModel.query().where('id', deal.id).update({ amount })
      deals.push({
        id: deal.id,
        brand,
        creator,
        amount,
        status: 'awaiting_funding',
        submitted: false,
      })
    }

    /**
     * Runs the operation, then checks the outcome the model predicted:
     * applied, replayed (no change), or CONFLICT.
     */
    async function expectOutcome(
      predicted: 'applied' | 'replayed' | 'conflict',
      run: () => Promise<unknown>
    ) {
      try {
        const result = (await run()) as { outcome?: string } | undefined
        assert.notEqual(predicted, 'conflict', 'the model expected a CONFLICT')
        if (result && typeof result === 'object' && 'outcome' in result) {
          assert.equal(result.outcome, predicted)
        }
        return true
      } catch (error) {
        if (error instanceof DomainError && error.errorCode === 'CONFLICT') {
          assert.equal(predicted, 'conflict', `unexpected CONFLICT: ${error.message}`)
          return false
        }
        throw error
      }
    }

    const operations: Array<() => Promise<void>> = [
      openDeal,
      async function fund() {
        const deal = pick(deals)
        const predicted =
          deal.status === 'awaiting_funding'
            ? 'applied'
            : deal.status === 'cancelled'
              ? 'conflict'
              : 'replayed'
        const dealRow = await DealModel.findOrFail(deal.id)
        if (await expectOutcome(predicted, () => fundDeal(as(deal.brand), dealRow))) {
          if (predicted === 'applied') {
            deal.status = 'funded'
            brandBooks.get(deal.brand.id)!.inEscrow += deal.amount
          }
        }
      },
      async function submit() {
        const deal = pick(deals)
        const predicted = deal.status === 'funded' ? 'applied' : 'conflict'
        const dealRow = await DealModel.findOrFail(deal.id)
        if (
          await expectOutcome(predicted, () =>
            submitWork(as(deal.creator), dealRow, { url: 'https://x.example/w' })
          )
        ) {
          deal.status = 'submitted'
          deal.submitted = true
        }
      },
      async function changes() {
        const deal = pick(deals)
        const predicted = deal.status === 'submitted' ? 'applied' : 'conflict'
        const dealRow = await DealModel.findOrFail(deal.id)
        if (await expectOutcome(predicted, () => requestChanges(as(deal.brand), dealRow, 'ещё'))) {
          deal.status = 'funded'
        }
      },
      async function release() {
        const deal = pick(deals)
        const predicted =
          deal.status === 'submitted'
            ? 'applied'
            : deal.status === 'completed'
              ? 'replayed'
              : 'conflict'
        if (await expectOutcome(predicted, () => releaseEscrow(as(deal.brand), deal.id))) {
          if (predicted === 'applied') {
            const { fee, creatorShare } = splitRelease(deal.amount, paymentsConfig.feeBps)
            deal.status = 'completed'
            wallet.get(deal.creator.id)!.available += creatorShare
            fees += fee
            const books = brandBooks.get(deal.brand.id)!
            books.inEscrow -= deal.amount
            books.released += deal.amount
          }
        }
      },
      async function cancel() {
        const deal = pick(deals)
        const byAdmin = next() < 0.3
        let predicted: 'applied' | 'replayed' | 'conflict'
        if (deal.status === 'cancelled' || deal.status === 'refunded') predicted = 'replayed'
        else if (deal.status === 'awaiting_funding') predicted = 'applied'
        else if (deal.status === 'completed') predicted = 'conflict'
        else if (byAdmin) predicted = 'applied'
        else predicted = deal.status === 'funded' && !deal.submitted ? 'applied' : 'conflict'
        if (
          await expectOutcome(predicted, () =>
            cancelDeal(as(byAdmin ? admin : deal.brand), deal.id)
          )
        ) {
          if (predicted === 'applied') {
            if (deal.status === 'awaiting_funding') {
              deal.status = 'cancelled'
            } else {
              deal.status = 'refunded'
              const books = brandBooks.get(deal.brand.id)!
              books.inEscrow -= deal.amount
              books.refunded += deal.amount
            }
          }
        }
      },
      async function askPayout() {
        const creator = pick(creators)
        const amount = paymentsConfig.payoutMinAmount + Math.floor(next() * 200_000)
        const waiting = payouts
          .filter((p) => p.creator.id === creator.id && p.status === 'requested')
          .reduce((sum, p) => sum + p.amount, 0)
        const predicted =
          amount <= wallet.get(creator.id)!.available - waiting ? 'applied' : 'conflict'
        let created: { id: number } | undefined
        if (
          await expectOutcome(predicted, async () => {
            created = await requestPayout(as(creator), amount)
          })
        ) {
          payouts.push({
            id: created!.id,
            creator,
            amount,
            status: 'requested',
            approvedOnce: false,
          })
        }
      },
      async function approve() {
        if (payouts.length === 0) return
        const payout = pick(payouts)
        const money = wallet.get(payout.creator.id)!
        let predicted: 'applied' | 'replayed' | 'conflict'
        if (payout.approvedOnce) predicted = 'replayed'
        else if (payout.status !== 'requested') predicted = 'conflict'
        else predicted = money.available >= payout.amount ? 'applied' : 'conflict'
        if (await expectOutcome(predicted, () => approvePayout(as(admin), payout.id))) {
          if (predicted === 'applied') {
            payout.status = 'approved'
            payout.approvedOnce = true
            money.available -= payout.amount
            money.onHold += payout.amount
          }
        }
      },
      async function reject() {
        if (payouts.length === 0) return
        const payout = pick(payouts)
        const money = wallet.get(payout.creator.id)!
        const predicted =
          payout.status === 'rejected'
            ? 'replayed'
            : payout.status === 'paid'
              ? 'conflict'
              : 'applied'
        const before = payout.status
        if (await expectOutcome(predicted, () => rejectPayout(as(admin), payout.id))) {
          if (predicted === 'applied') {
            payout.status = 'rejected'
            if (before === 'approved') {
              money.onHold -= payout.amount
              money.available += payout.amount
            }
          }
        }
      },
      async function pay() {
        if (payouts.length === 0) return
        const payout = pick(payouts)
        const money = wallet.get(payout.creator.id)!
        const predicted =
          payout.status === 'approved'
            ? 'applied'
            : payout.status === 'paid'
              ? 'replayed'
              : 'conflict'
        if (await expectOutcome(predicted, () => markPayoutPaid(as(admin), payout.id))) {
          if (predicted === 'applied') {
            payout.status = 'paid'
            money.onHold -= payout.amount
            money.paidOut += payout.amount
          }
        }
      },
    ]

    for (let i = 0; i < 4; i++) {
      await openDeal()
    }
    for (let sequence = 0; sequence < SEQUENCES; sequence++) {
      const operation = pick(operations)
      // A sequence is one operation and 0–2 client retries of it; after the
      // first try the model has moved on, so each retry is predicted afresh.
      const tries = 1 + Math.floor(next() * 3)
      for (let attempt = 0; attempt < tries; attempt++) {
        await operation()
      }
    }

    assert.deepEqual(await verifyLedger(), [])
    for (const creator of creators) {
      const actual = await balanceOf(creator)
      const requested = payouts
        .filter((payout) => payout.creator.id === creator.id && payout.status === 'requested')
        .reduce((sum, payout) => sum + payout.amount, 0)
      assert.deepEqual(
        actual,
        { currency: 'RUB', ...wallet.get(creator.id)!, requested },
        `creator ${creator.id}`
      )
    }
    for (const brand of brands) {
      const actual = await balanceOf(brand)
      assert.deepEqual(
        actual,
        { currency: 'RUB', ...brandBooks.get(brand.id)! },
        `brand ${brand.id}`
      )
    }
    const feeRow = await db
      .from('ledger_entries')
      .where('account', 'platform:fees')
      .sum('amount as total')
      .first()
    assert.equal(Number(feeRow.total ?? 0), fees)
    assert.isAbove(deals.filter((deal) => deal.status === 'completed').length, 0)
    assert.isAbove(payouts.filter((payout) => payout.status === 'paid').length, 0)
  })
})
