import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import LedgerVerify from '#commands/ledger_verify'
import IdempotencyPrune from '#commands/idempotency_prune'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { ledgerCounts } from '#tests/support/ledger'
import { verifyLedger } from '#services/ledger/verify_ledger'
import {
  creatorWithBalance,
  dealIn,
  party,
  payoutIn,
  tokenOf,
  userOf,
} from '#tests/support/marketplace'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'
import { DateTime } from 'luxon'
import { setTimeout as sleep } from 'node:timers/promises'
import Deal from '#models/deal'

test.group('payments: payouts, balances, ledger', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('the release splits escrow: 10 % to the platform, the rest to the creator', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const deal = await dealIn('submitted', brand.user, creator.user)
    const released = await client.post(`/api/deals/${deal.id}/approve`).bearerToken(brand.token)
    released.assertStatus(200)

    const creatorBalance = await client.get('/api/balance').bearerToken(creator.token)
    assert.deepEqual(creatorBalance.body().data.balance, {
      currency: 'RUB',
      available: 450_000,
      onHold: 0,
      paidOut: 0,
      requested: 0,
    })
    const brandBalance = await client.get('/api/balance').bearerToken(brand.token)
    assert.deepEqual(brandBalance.body().data.balance, {
      currency: 'RUB',
      inEscrow: 0,
      released: 500_000,
      refunded: 0,
    })
    const fees = await db
      .from('ledger_entries')
      .where('account', 'platform:fees')
      .sum('amount as total')
      .first()
    assert.equal(Number(fees.total), 50_000)
  })

  test('a payout goes requested → approved (hold) → paid, and the balance follows', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const admin = await tokenOf('admin')
    const requested = await client
      .post('/api/payouts')
      .bearerToken(creator.token)
      .json({ amount: 150_000 })
    requested.assertStatus(201)
    const payoutId = requested.body().data.payout.id

    const approve = await client.post(`/api/admin/payouts/${payoutId}/approve`).bearerToken(admin)
    approve.assertStatus(200)
    let balance = await client.get('/api/balance').bearerToken(creator.token)
    assert.include(balance.body().data.balance, { available: 300_000, onHold: 150_000, paidOut: 0 })

    const paid = await client.post(`/api/admin/payouts/${payoutId}/mark-paid`).bearerToken(admin)
    paid.assertStatus(200)
    balance = await client.get('/api/balance').bearerToken(creator.token)
    assert.include(balance.body().data.balance, { available: 300_000, onHold: 0, paidOut: 150_000 })

    const ledger = await client.get('/api/ledger').bearerToken(creator.token)
    assert.deepEqual(
      ledger.body().data.items.map((item: any) => [item.kind, item.account, item.amount]),
      [
        ['payout_paid', `creator:${creator.user.id}:payout_hold`, -150_000],
        ['payout_approve', `creator:${creator.user.id}:payout_hold`, 150_000],
        ['payout_approve', `creator:${creator.user.id}:available`, -150_000],
        ['release', `creator:${creator.user.id}:available`, 450_000],
      ]
    )

    const firstTwo = await client.get('/api/ledger').qs({ perPage: 2 }).bearerToken(creator.token)
    const { nextAfter } = firstTwo.body().data
    assert.equal(nextAfter, firstTwo.body().data.items[1].id)
    const rest = await client
      .get('/api/ledger')
      .qs({ after: nextAfter, perPage: 2 })
      .bearerToken(creator.token)
    assert.deepEqual(
      rest.body().data.items.map((item: any) => item.id),
      ledger
        .body()
        .data.items.slice(2)
        .map((item: any) => item.id)
    )
    assert.include(rest.body().data, { page: null, total: 2, nextAfter: null })
  })

  test("an admin's ledger counts only 100 lines past the page, like every list", async ({
    client,
    assert,
  }) => {
    const now = dbNow()
    const [row] = await db
      .table('ledger_transactions')
      .insert({ reference: 'bulk:1', kind: 'fund', created_at: now })
      .returning('id')
    const transactionId = Number(typeof row === 'object' ? row.id : row)
    await db.table('ledger_entries').multiInsert(
      Array.from({ length: 130 }, (_, index) => ({
        transaction_id: transactionId,
        account: index % 2 === 0 ? 'external:brand_funding' : 'platform:fees',
        amount: index % 2 === 0 ? -1 : 1,
        currency: 'RUB',
        created_at: now,
      }))
    )
    const admin = await tokenOf('admin')

    const first = await client.get('/api/ledger').bearerToken(admin)
    first.assertStatus(200)
    assert.include(first.body().data, { total: 120, totalIsExact: false })
    const last = await client.get('/api/ledger').qs({ page: 7 }).bearerToken(admin)
    assert.include(last.body().data, { total: 130, totalIsExact: true, nextAfter: null })
    assert.lengthOf(last.body().data.items, 10)
  })

  test('rejecting an approved payout returns the hold to the available balance', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const payout = await payoutIn('approved', creator.user, 200_000)
    const response = await client
      .post(`/api/admin/payouts/${payout.id}/reject`)
      .bearerToken(await tokenOf('admin'))
    response.assertStatus(200)
    const balance = await client.get('/api/balance').bearerToken(creator.token)
    assert.include(balance.body().data.balance, { available: 450_000, onHold: 0 })
  })

  test('a payout above the available balance is CONFLICT and changes nothing', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const over = await client
      .post('/api/payouts')
      .bearerToken(creator.token)
      .json({ amount: 450_001 })
    over.assertStatus(409)
    assert.equal(over.body().error.code, 'CONFLICT')

    const first = await client
      .post('/api/payouts')
      .bearerToken(creator.token)
      .json({ amount: 300_000 })
    first.assertStatus(201)
    const balance = await client.get('/api/balance').bearerToken(creator.token)
    assert.include(balance.body().data.balance, { available: 450_000, requested: 300_000 })
    const second = await client
      .post('/api/payouts')
      .bearerToken(creator.token)
      .json({ amount: 200_000 })
    second.assertStatus(409)
    assert.equal(
      second.body().error.message,
      'Недостаточно средств: можно вывести 1\u00a0500\u00a0₽'
    )

    const poor = await party('creator')
    const none = await client.post('/api/payouts').bearerToken(poor.token).json({ amount: 10_000 })
    none.assertStatus(409)
    const payouts = await db.from('payout_requests').count('* as total').first()
    assert.equal(Number(payouts.total), 1)
  })

  test('approving a payout the balance no longer covers is CONFLICT', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const first = await payoutIn('requested', creator.user, 300_000)
    await db.from('payout_requests').where('id', first.id).update({ amount: 500_000 })
    const before = await ledgerCounts()
    const response = await client
      .post(`/api/admin/payouts/${first.id}/approve`)
      .bearerToken(await tokenOf('admin'))
    response.assertStatus(409)
    assert.deepEqual(await ledgerCounts(), before)
    const payout = await db.from('payout_requests').where('id', first.id).first()
    assert.equal(payout.status, 'requested')
  })

  test('illegal payout transitions are CONFLICT', async ({ client, assert }) => {
    const creator = await creatorWithBalance()
    const admin = await tokenOf('admin')
    const requested = await payoutIn('requested', creator.user)
    const paidEarly = await client
      .post(`/api/admin/payouts/${requested.id}/mark-paid`)
      .bearerToken(admin)
    paidEarly.assertStatus(409)
    assert.include(paidEarly.body().error.message, 'requested')

    const paid = await payoutIn('paid', creator.user)
    const reject = await client.post(`/api/admin/payouts/${paid.id}/reject`).bearerToken(admin)
    reject.assertStatus(409)
    assert.include(reject.body().error.message, 'paid')
    // Approving again repeats an approval that did happen: a replay.
    const approve = await client.post(`/api/admin/payouts/${paid.id}/approve`).bearerToken(admin)
    approve.assertStatus(200)
    assert.isTrue(approve.body().data.replayed)
    assert.equal(approve.body().data.payout.status, 'paid')
  })

  test('the brand may refund only before any submission; an admin until release', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const deal = await dealIn('funded', brand.user, creator.user)
    await client
      .post(`/api/deals/${deal.id}/submit`)
      .bearerToken(creator.token)
      .json({ url: 'https://video.example/1' })
    await client
      .post(`/api/deals/${deal.id}/request-changes`)
      .bearerToken(brand.token)
      .json({ reason: 'ещё раз' })

    const byBrand = await client.post(`/api/deals/${deal.id}/cancel`).bearerToken(brand.token)
    byBrand.assertStatus(409)
    const byAdmin = await client
      .post(`/api/deals/${deal.id}/cancel`)
      .bearerToken(await tokenOf('admin'))
    byAdmin.assertStatus(200)
    assert.equal(byAdmin.body().data.deal.status, 'refunded')
    const brandBalance = await client.get('/api/balance').bearerToken(brand.token)
    assert.include(brandBalance.body().data.balance, { inEscrow: 0, refunded: 500_000 })
  })

  test('the brand cannot refund work submitted while its refund was on the way', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await userOf('creator')
    const deal = await dealIn('funded', brand.user, creator)
    // Stands in for a submit and a request for changes that commit while the
    // refund is under way: the deal is funded again, with a submission.
    const submitAndReview = await db.transaction()
    await submitAndReview.from('deals').where('id', deal.id).forUpdate().select('id')

    const refunding = Promise.resolve(
      client.post(`/api/deals/${deal.id}/cancel`).bearerToken(brand.token)
    )
    await sleep(300)
    await submitAndReview.table('deal_submissions').insert({
      deal_id: deal.id,
      revision: 1,
      url: 'https://video.example/raced',
      change_request: 'Переснимите',
      changes_requested_at: dbNow(),
      created_at: dbNow(),
    })
    await submitAndReview.commit()
    const refund = await refunding

    refund.assertStatus(409)
    assert.equal(refund.body().error.code, 'CONFLICT')
    assert.equal((await Deal.findOrFail(deal.id)).status, 'funded')
    assert.deepEqual(await verifyLedger(), [])
  }).skip(process.env.DB_CONNECTION !== 'pg', 'PostgreSQL row locks')

  test('ledger:verify is clean on real operations and lists every violation', async ({
    assert,
  }) => {
    await dealIn('completed', await userOf('brand'), await userOf('creator'))
    const clean = await ace.create(LedgerVerify, [])
    clean.ui.switchMode('raw')
    await clean.exec()
    assert.equal(clean.exitCode, 0)

    const now = dbNow()
    const [row] = await db
      .table('ledger_transactions')
      .insert({ reference: 'forged:1', kind: 'fund', created_at: now })
      .returning('id')
    const id = Number(typeof row === 'object' ? row.id : row)
    await db.table('ledger_entries').multiInsert([
      {
        transaction_id: id,
        account: 'creator:999:available',
        amount: -70,
        currency: 'RUB',
        created_at: now,
      },
      {
        transaction_id: id,
        account: 'platform:fees',
        amount: 30,
        currency: 'RUB',
        created_at: now,
      },
    ])
    const broken = await ace.create(LedgerVerify, ['--json'])
    broken.ui.switchMode('raw')
    await broken.exec()
    assert.equal(broken.exitCode, 1)
    const report = JSON.parse(broken.ui.logger.getLogs().at(-1)!.message)
    assert.sameMembers(
      report.violations.map((violation: { check: string }) => violation.check),
      ['transaction sums to zero', 'total per currency is zero', 'creator balance not negative']
    )
  })

  test('ledger:verify finds a deal whose status and money disagree', async ({ assert }) => {
    const brand = await userOf('brand')
    const creator = await userOf('creator')
    const refundedThenReopened = await dealIn('refunded', brand, creator)
    const fundedThenMarkedRefunded = await dealIn('funded', brand, creator)
    await dealIn('completed', brand, creator)
    assert.deepEqual(await verifyLedger(), [])

    await db.from('deals').where('id', refundedThenReopened.id).update({ status: 'funded' })
    await db.from('deals').where('id', fundedThenMarkedRefunded.id).update({ status: 'refunded' })

    const found = (await verifyLedger()).map((violation) => [violation.check, violation.detail])
    const amount = refundedThenReopened.amount
    assert.sameDeepMembers(found, [
      ['refunded deal has one refund', `deal ${refundedThenReopened.id} (funded): 1, expected 0`],
      [
        'escrow holds the amount until the deal ends',
        `deal ${refundedThenReopened.id} (funded): 0, expected ${amount}`,
      ],
      [
        'refunded deal has one refund',
        `deal ${fundedThenMarkedRefunded.id} (refunded): 0, expected 1`,
      ],
      [
        'escrow holds the amount until the deal ends',
        `deal ${fundedThenMarkedRefunded.id} (refunded): ${fundedThenMarkedRefunded.amount}, expected 0`,
      ],
    ])
  })

  test('PostgreSQL refuses to change or delete a ledger row, whoever asks', async ({ assert }) => {
    await dealIn('completed', await userOf('brand'), await userOf('creator'))
    const before = await ledgerCounts()
    const attempts = [
      () => db.from('ledger_entries').where('account', 'platform:fees').update({ amount: 1 }),
      () => db.from('ledger_entries').where('account', 'platform:fees').delete(),
      () => db.from('ledger_transactions').update({ kind: 'refund' }),
      () => db.from('ledger_transactions').delete(),
    ]
    for (const attempt of attempts) {
      await assert.rejects(attempt, /ledger rows are append-only/)
    }
    assert.deepEqual(await ledgerCounts(), before)
    assert.deepEqual(await verifyLedger(), [])
  }).skip(process.env.DB_CONNECTION !== 'pg', 'a PostgreSQL trigger')

  test('idempotency:prune removes keys older than 24 hours only', async ({ assert }) => {
    const creator = await party('creator')
    const old = toDbTimestamp(DateTime.now().minus({ hours: 25 }))
    const recent = toDbTimestamp(DateTime.now().minus({ hours: 23 }))
    for (const [key, createdAt] of [
      ['old', old],
      ['recent', recent],
    ]) {
      await db.table('idempotency_keys').insert({
        key,
        user_id: creator.user.id,
        method_route: 'POST /api/payouts',
        request_hash: 'x'.repeat(64),
        state: 'done',
        response_status: 201,
        response_body: '{}',
        created_at: createdAt,
      })
    }
    const command = await ace.create(IdempotencyPrune, [])
    command.ui.switchMode('raw')
    await command.exec()
    const left = await db.from('idempotency_keys').select('key')
    assert.deepEqual(
      left.map((row) => row.key),
      ['recent']
    )
  })
})
