import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { ledgerCounts } from '#tests/support/ledger'
import { creatorWithBalance, dealIn, party, userOf } from '#tests/support/marketplace'
import { confirmPayment, signedWebhook } from '#tests/support/probes/payments'
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_CLAIM_LEASE,
  releaseIdempotencyKey,
  requestFingerprint,
} from '#services/idempotency/idempotency_keys'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'

/**
 * What a server that died between committing the operation and recording
 * its answer leaves behind: the key still in progress, claimed `age` ago.
 */
async function leftInProgressByACrash(key: string, age = IDEMPOTENCY_CLAIM_LEASE) {
  const claimedAt = toDbTimestamp(DateTime.now().minus(age).minus({ seconds: 1 }))
  const updated = await db.from('idempotency_keys').where('key', key).update({
    state: 'in_progress',
    response_status: null,
    response_body: null,
    created_at: claimedAt,
  })
  if (Number(Array.isArray(updated) ? updated[0] : updated) !== 1) {
    throw new Error(`no key ${key} to leave in progress`)
  }
  return claimedAt
}

/** POST /api/payouts with an Idempotency-Key. */
function payoutRequest(client: ApiClient, token: string, key: string, body: object) {
  return client.post('/api/payouts').bearerToken(token).header('Idempotency-Key', key).json(body)
}

/** A key claimed as POST /api/payouts claims it for this body, with no request running. */
function claimPayoutKey(userId: number, key: string, body: object = { amount: 100_000 }) {
  const route = 'POST /api/payouts'
  return claimIdempotencyKey(userId, key, route, requestFingerprint(route, {}, body))
}

async function payoutCount() {
  const row = await db.from('payout_requests').count('* as total').first()
  return Number(row.total)
}

test.group('payments: Idempotency-Key', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('the same key and body replays the first response, status and body', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const send = () =>
      payoutRequest(client, creator.token, 'payout-2026-11-26', { amount: 100_000 })
    const first = await send()
    first.assertStatus(201)
    const second = await send()
    second.assertStatus(201)
    assert.deepEqual(second.body(), first.body())
    assert.equal(second.header('idempotent-replayed'), 'true')
    assert.equal(await payoutCount(), 1)
  })

  test('the same key with another body is IDEMPOTENCY_KEY_REUSED', async ({ client, assert }) => {
    const creator = await creatorWithBalance()
    const send = (amount: number) => payoutRequest(client, creator.token, 'reused-key', { amount })
    ;(await send(100_000)).assertStatus(201)
    const reused = await send(120_000)
    reused.assertStatus(409)
    assert.equal(reused.body().error.code, 'IDEMPOTENCY_KEY_REUSED')
    assert.isFalse(reused.body().error.retryable)
    assert.equal(await payoutCount(), 1)
  })

  test('a duplicate while the first is still running is IDEMPOTENCY_KEY_IN_USE', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const body = { amount: 100_000 }
    const claim = await claimPayoutKey(creator.user.id, 'slow-key', body)
    assert.equal(claim.kind, 'fresh')

    const duplicate = await payoutRequest(client, creator.token, 'slow-key', body)
    duplicate.assertStatus(409)
    assert.equal(duplicate.body().error.code, 'IDEMPOTENCY_KEY_IN_USE')
    assert.isTrue(duplicate.body().error.retryable)
    assert.equal(await payoutCount(), 0)
  })

  test('a key a crash left in progress is taken over after the lease: the payout is made once', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const send = () => payoutRequest(client, creator.token, 'crashed-payout', { amount: 100_000 })
    const first = await send()
    first.assertStatus(201)
    await leftInProgressByACrash('crashed-payout')

    const retried = await send()
    retried.assertStatus(201)
    assert.equal(retried.body().data.payout.id, first.body().data.payout.id)
    assert.equal(await payoutCount(), 1)
    const replayed = await send()
    assert.equal(replayed.header('idempotent-replayed'), 'true')
    assert.deepEqual(replayed.body().data, retried.body().data)
    assert.equal(await payoutCount(), 1)
  })

  test('a funding a crash left in progress replays after the lease and moves no money again', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const deal = await dealIn('awaiting_funding', brand.user, await userOf('creator'))
    const send = () =>
      client
        .post(`/api/deals/${deal.id}/fund`)
        .bearerToken(brand.token)
        .header('Idempotency-Key', 'crashed-fund')
    ;(await send()).assertStatus(200)
    const ledger = await ledgerCounts()
    await leftInProgressByACrash('crashed-fund')

    const retried = await send()
    retried.assertStatus(200)
    assert.equal(retried.body().data.deal.status, 'funded')
    assert.deepEqual(await ledgerCounts(), ledger)
  })

  test('within the lease a key in progress stays IN_USE, and only one retry takes it over', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const body = { amount: 100_000 }
    await claimPayoutKey(creator.user.id, 'slow-then-dead', body)
    await leftInProgressByACrash('slow-then-dead', { seconds: 0 })
    const young = await payoutRequest(client, creator.token, 'slow-then-dead', body)
    assert.equal(young.body().error.code, 'IDEMPOTENCY_KEY_IN_USE')

    await leftInProgressByACrash('slow-then-dead')
    const claims = await Promise.all(
      Array.from({ length: 5 }, () => claimPayoutKey(creator.user.id, 'slow-then-dead', body))
    )
    assert.deepEqual(claims.map((claim) => claim.kind).sort(), [
      'fresh',
      'in_use',
      'in_use',
      'in_use',
      'in_use',
    ])
  })

  test('a request slower than the lease, once taken over, neither records nor releases the key', async ({
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const first = await claimPayoutKey(creator.user.id, 'outlived')
    assert.equal(first.kind, 'fresh')
    if (first.kind !== 'fresh') {
      return
    }
    const slow = { id: first.id, claimedAt: await leftInProgressByACrash('outlived') }
    const taker = await claimPayoutKey(creator.user.id, 'outlived')
    assert.equal(taker.kind, 'fresh')
    if (taker.kind !== 'fresh') {
      return
    }
    const keyRow = () => db.from('idempotency_keys').where('key', 'outlived').first()

    await releaseIdempotencyKey(slow)
    assert.isNotNull(await keyRow(), 'the slow request failing does not delete the taker’s key')
    await completeIdempotencyKey(slow, 201, { stale: true })
    assert.equal((await keyRow()).state, 'in_progress')
    await completeIdempotencyKey(taker, 201, { payout: 'made once' })
    assert.deepEqual(JSON.parse((await keyRow()).response_body), { payout: 'made once' })
  })

  test('a failed request is not stored: the key may be used again', async ({ client, assert }) => {
    const creator = await creatorWithBalance()
    const send = (amount: unknown) => payoutRequest(client, creator.token, 'retry-me', { amount })
    ;(await send('lots')).assertStatus(422)
    ;(await send(900_000)).assertStatus(409)
    const ok = await send(100_000)
    ok.assertStatus(201)
    const keys = await db.from('idempotency_keys').count('* as total').first()
    assert.equal(Number(keys.total), 1)
  })

  test('keys belong to one user', async ({ client }) => {
    const first = await creatorWithBalance()
    const second = await creatorWithBalance()
    for (const creator of [first, second]) {
      const response = await payoutRequest(client, creator.token, 'shared-name', {
        amount: 100_000,
      })
      response.assertStatus(201)
    }
  })

  test('a malformed key, an empty one included, is a validation error and requests nothing', async ({
    client,
    assert,
  }) => {
    const creator = await creatorWithBalance()
    for (const key of ['x'.repeat(300), '']) {
      const response = await payoutRequest(client, creator.token, key, { amount: 100_000 })
      response.assertStatus(422)
      assert.equal(response.body().error.fields[0].field, 'Idempotency-Key')
    }
    assert.equal(await payoutCount(), 0)
  })
})

test.group('payments: provider webhook', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  async function awaitingDeal() {
    return dealIn('awaiting_funding', await userOf('brand'), await userOf('creator'))
  }

  test('a signed payment confirmation funds the deal once; a replay changes nothing', async ({
    client,
    assert,
  }) => {
    const deal = await awaitingDeal()
    const { raw, signature } = await signedWebhook({
      eventId: 'evt-1',
      type: 'payment.succeeded',
      dealId: deal.id,
      amount: deal.amount,
    })
    const send = () =>
      client
        .post('/api/payments/webhook')
        .header('x-payment-signature', signature)
        .header('x-request-id', 'provider-delivery-1')
        .json(JSON.parse(raw))

    const first = await send()
    first.assertStatus(200)
    assert.include(first.body().data, { duplicate: false, dealStatus: 'funded' })
    const after = await ledgerCounts()
    const booked = await db.from('ledger_transactions').where('deal_id', deal.id).first()
    assert.equal(booked.request_id, 'provider-delivery-1')
    const funded = await db
      .from('outbox_events')
      .where({ type: 'deal.funded', aggregate_id: deal.id })
      .first()
    const meta = typeof funded.meta === 'string' ? JSON.parse(funded.meta) : funded.meta
    assert.deepEqual(meta, { requestId: 'provider-delivery-1', actorId: null })

    const replayed = await send()
    replayed.assertStatus(200)
    assert.include(replayed.body().data, { duplicate: true, dealStatus: 'funded' })
    assert.deepEqual(await ledgerCounts(), after)
  })

  test('a forged signature changes nothing', async ({ client, assert }) => {
    const deal = await awaitingDeal()
    const body = {
      eventId: 'evt-x',
      type: 'payment.succeeded',
      dealId: deal.id,
      amount: deal.amount,
    }
    const { signature } = await signedWebhook({ ...body, amount: 1 })
    for (const header of [signature, 'sha256=deadbeef', undefined]) {
      const request = client.post('/api/payments/webhook').json(body)
      const response = await (header ? request.header('x-payment-signature', header) : request)
      response.assertStatus(401)
      assert.equal(response.body().error.code, 'UNAUTHENTICATED')
    }
    await deal.refresh()
    assert.equal(deal.status, 'awaiting_funding')
    assert.deepEqual(await ledgerCounts(), { transactions: 0, entries: 0 })
  })

  test('a signed event with the wrong amount is CONFLICT and records nothing', async ({
    client,
    assert,
  }) => {
    const deal = await awaitingDeal()
    const { raw, signature } = await signedWebhook({
      eventId: 'evt-2',
      type: 'payment.succeeded',
      dealId: deal.id,
      amount: deal.amount + 1,
    })
    const response = await client
      .post('/api/payments/webhook')
      .header('x-payment-signature', signature)
      .json(JSON.parse(raw))
    response.assertStatus(409)
    const events = await db.from('payment_provider_events').count('* as total').first()
    assert.equal(Number(events.total), 0)
  })

  test('a booking that fails on another unique row is not taken for a replay: the provider is told to retry', async ({
    client,
    assert,
  }) => {
    const deal = await awaitingDeal()
    const now = dbNow()
    await db.table('ledger_transactions').insert({
      reference: `deal:${deal.id}:fund`,
      kind: 'fund',
      created_at: now,
    })
    const response = await confirmPayment(client, deal, 'evt-clash')

    response.assertStatus(409)
    assert.equal(response.body().error.code, 'CONFLICT')
    const recorded = await db.from('payment_provider_events').count('* as total').first()
    assert.equal(Number(recorded.total), 0, 'the event is not marked handled')
    await deal.refresh()
    assert.equal(deal.status, 'awaiting_funding')
  })

  test('the sandbox fund and the webhook for one deal move money once', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const deal = await dealIn('awaiting_funding', brand.user, await userOf('creator'))
    ;(await client.post(`/api/deals/${deal.id}/fund`).bearerToken(brand.token)).assertStatus(200)
    const response = await confirmPayment(client, deal, 'evt-late')
    response.assertStatus(200)
    assert.deepEqual(await ledgerCounts(), { transactions: 1, entries: 2 })
  })
})
