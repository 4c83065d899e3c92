import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { ledgerCounts } from '#tests/support/ledger'
import { creatorWithBalance, tokenOf } from '#tests/support/marketplace'
import { signedWebhook } from '#tests/support/probes/payments'

async function snapshot() {
  const payouts = await db.from('payout_requests').count('* as total').first()
  const events = await db.from('outbox_events').count('* as total').first()
  const keys = await db.from('idempotency_keys').count('* as total').first()
  return {
    ...(await ledgerCounts()),
    payouts: Number(payouts.total),
    events: Number(events.total),
    keys: Number(keys.total),
  }
}

test.group('payments: validation on every money route', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('POST /api/payouts refuses {label}')
    .with([
      { label: 'a missing amount', body: {} },
      { label: 'an amount as a string', body: { amount: '100000' } },
      { label: 'a zero amount', body: { amount: 0 } },
      { label: 'a negative amount', body: { amount: -5000 } },
      { label: 'a fractional amount', body: { amount: 10000.5 } },
      { label: 'an amount below the minimum', body: { amount: 9999 } },
      { label: 'an absurd amount', body: { amount: 1e15 } },
      { label: 'an amount as an array', body: { amount: [100000] } },
    ])
    .run(async ({ client, assert }, { body }) => {
      const creator = await creatorWithBalance()
      const before = await snapshot()
      const response = await client
        .post('/api/payouts')
        .bearerToken(creator.token)
        .header('Idempotency-Key', 'validation-key')
        .json(body)
      response.assertStatus(422)
      assert.equal(response.body().error.code, 'VALIDATION_ERROR')
      assert.deepEqual(
        response.body().error.fields.map((f: { field: string }) => f.field),
        ['amount']
      )
      assert.deepEqual(await snapshot(), before)
    })

  test('money routes with an unknown or malformed id are 404: {$self}')
    .with([
      '/api/deals/999999/fund',
      '/api/deals/999999/approve',
      '/api/deals/999999/cancel',
      '/api/deals/abc/fund',
      '/api/deals/99999999999/approve',
      '/api/admin/payouts/999999/approve',
      '/api/admin/payouts/999999/reject',
      '/api/admin/payouts/999999/mark-paid',
      '/api/admin/payouts/-1/mark-paid',
      '/api/admin/payouts/99999999999/reject',
    ])
    .run(async ({ client, assert }, url) => {
      const role = url.includes('/admin/') ? 'admin' : 'brand'
      const response = await client.post(url).bearerToken(await tokenOf(role))
      response.assertStatus(404)
      assert.equal(response.body().error.code, 'NOT_FOUND')
    })

  test('the webhook validates a signed body: {label}')
    .with([
      {
        label: 'missing fields',
        body: { type: 'payment.succeeded' },
        fields: ['amount', 'dealId', 'eventId'],
      },
      {
        label: 'wrong types',
        body: { eventId: 'e', type: 'payment.succeeded', dealId: '1', amount: '10' },
        fields: ['amount', 'dealId'],
      },
      {
        label: 'an unknown type and a zero amount',
        body: { eventId: 'e', type: 'refund.made', dealId: 1, amount: 0 },
        fields: ['amount', 'type'],
      },
      {
        label: 'a deal id larger than any deal id',
        body: { eventId: 'e', type: 'payment.succeeded', dealId: 2_147_483_648, amount: 10 },
        fields: ['dealId'],
      },
    ])
    .run(async ({ client, assert }, { body, fields }) => {
      const before = await snapshot()
      const { raw, signature } = await signedWebhook(body)
      const response = await client
        .post('/api/payments/webhook')
        .header('x-payment-signature', signature)
        .json(JSON.parse(raw))
      response.assertStatus(422)
      assert.deepEqual(
        response
          .body()
          .error.fields.map((f: { field: string }) => f.field)
          .sort(),
        fields
      )
      assert.deepEqual(await snapshot(), before)
    })

  test('money lists validate their queries: {url}')
    .with([
      { url: '/api/ledger?page=0', role: 'creator' },
      { url: '/api/ledger?perPage=101', role: 'brand' },
      { url: '/api/payouts?status=lost', role: 'creator' },
      { url: '/api/admin/payouts?status=lost', role: 'admin' },
    ] as const)
    .run(async ({ client, assert }, { url, role }) => {
      const response = await client.get(url).bearerToken(await tokenOf(role))
      response.assertStatus(422)
      assert.equal(response.body().error.code, 'VALIDATION_ERROR')
    })
})

test.group('payments: who may move money', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('{who} → {route}: {status}')
    .with([
      { who: 'brand', route: 'POST /api/payouts', status: 403 },
      { who: 'admin', route: 'POST /api/payouts', status: 403 },
      { who: 'creator', route: 'GET /api/admin/payouts', status: 403 },
      { who: 'brand', route: 'GET /api/admin/payouts', status: 403 },
      { who: 'creator', route: 'POST /api/admin/payouts/:id/approve', status: 403 },
      { who: 'brand', route: 'POST /api/admin/payouts/:id/mark-paid', status: 403 },
      { who: 'creator', route: 'POST /api/admin/payouts/:id/reject', status: 403 },
    ] as const)
    .run(async ({ client, assert }, { who, route, status }) => {
      const holder = await creatorWithBalance()
      const payout = await client
        .post('/api/payouts')
        .bearerToken(holder.token)
        .json({ amount: 20_000 })
      const [method, pattern] = route.split(' ')
      const url = pattern.replace(':id', String(payout.body().data.payout.id))
      const token = await tokenOf(who)
      const response =
        method === 'GET'
          ? await client.get(url).bearerToken(token)
          : await client.post(url).bearerToken(token).json({ amount: 20_000 })
      response.assertStatus(status)
      assert.equal(response.body().error.code, 'FORBIDDEN')
      const row = await db.from('payout_requests').where('id', payout.body().data.payout.id).first()
      assert.equal(row.status, 'requested')
    })

  test('a creator sees only their own payouts and ledger lines', async ({ client, assert }) => {
    const first = await creatorWithBalance()
    const second = await creatorWithBalance()
    await client.post('/api/payouts').bearerToken(first.token).json({ amount: 20_000 })
    const own = await client.get('/api/payouts').bearerToken(second.token)
    assert.equal(own.body().data.total, 0)
    const ledger = await client.get('/api/ledger').bearerToken(second.token)
    for (const item of ledger.body().data.items) {
      assert.match(item.account, new RegExp(`^creator:${second.user.id}:`))
    }
  })
})
