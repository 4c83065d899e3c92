import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { issueAccessToken } from '#services/auth/issue_access_token'
import { verifyCredentials } from '#services/auth/verify_credentials'
import { verifyLedger } from '#services/ledger/verify_ledger'
import { reasonOf } from '#exceptions/schema_check_error'
import { SmokeFailure, failureReport } from '#services/smoke/smoke_failure'
import {
  expectSuccess,
  integerIn,
  isJsonObject,
  recordIn,
  type ApiRecord,
} from '#services/smoke/expect_response'
import { revokeToken, type Party } from '#services/smoke/smoke_parties'
import { closeOffer, closeOfferQuietly } from '#services/smoke/offer_flow'
import { SmokeRun, type SmokeOptions } from '#services/smoke/smoke_run'
import { missed, passed, type ReleaseItemResult } from '#services/release/release_item'

/** 5 000 ₽ in kopecks: well above the default minimum payout after the fee. */
const BUDGET = 500_000

type LedgerRows = { transactions: number; entries: number }

type Throwaway = { brand: Party; creator: Party; admin: Party }

/**
 * Item 3: on a throwaway deal made through the API, each money operation
 * (fund, release, payout approve, payout paid) sent a second time with the
 * same Idempotency-Key answers as the first and adds no ledger row; then the
 * whole ledger verifies. Ledger rows are counted in the database this
 * command runs next to, per deal and payout, so other traffic does not
 * disturb the count. Four requests count against the auth rate limit; the
 * admin's token is issued here, in-process, and revoked at the end.
 */
export async function checkMoneyRepeats(options: SmokeOptions): Promise<ReleaseItemResult> {
  const run = new SmokeRun(options)
  const parties: Party[] = []
  try {
    const admin = await adminParty(run, options)
    parties.push(admin)
    const brand = await signUp(run, 'brand')
    parties.push(brand)
    const creator = await signUp(run, 'creator')
    parties.push(creator)
    const cast = { brand, creator, admin }

    const deal = await openDeal(run, cast)
    const dealRows = () => ledgerRows({ dealId: deal.id })
    await sendTwice(
      run,
      'fund',
      'deal',
      'funded',
      cast.brand,
      `/api/deals/${deal.id}/fund`,
      dealRows
    )
    await submitWork(run, cast, deal)
    await sendTwice(
      run,
      'release',
      'deal',
      'completed',
      cast.brand,
      `/api/deals/${deal.id}/approve`,
      dealRows
    )
    const payout = await requestPayout(run, cast)
    const payoutRows = () => ledgerRows({ payoutId: payout.id })
    const base = `/api/admin/payouts/${payout.id}`
    await sendTwice(
      run,
      'payout approve',
      'payout',
      'approved',
      cast.admin,
      `${base}/approve`,
      payoutRows
    )
    await sendTwice(run, 'mark paid', 'payout', 'paid', cast.admin, `${base}/mark-paid`, payoutRows)

    const violations = await verifyLedger()
    const deals = await dealRows()
    const payouts = await payoutRows()
    const evidence =
      `deal ${deal.id} and payout ${payout.id} (run ${run.runId}): fund, release, payout approve, ` +
      `mark paid each sent twice with one Idempotency-Key, 0 rows added by the repeats ` +
      `(${deals.transactions + payouts.transactions} transactions, ${deals.entries + payouts.entries} entries); ` +
      `ledger:verify ${violations.length} violation(s)`
    if (violations.length > 0) {
      return missed(
        evidence,
        violations.map((violation) => `ledger: ${violation.check}: ${violation.detail}`)
      )
    }
    return passed(evidence)
  } catch (error) {
    return missFrom(error)
  } finally {
    for (const party of parties) {
      await revokeToken(run, party).catch(() => undefined)
    }
    await revokeAdminTokenInProcess(run)
  }
}

/**
 * The admin's token was issued into this command's database, so it is
 * revoked there too: over HTTP alone, a server on another database (the
 * miss this check reports) would leave a 30-day admin token valid here.
 */
async function revokeAdminTokenInProcess(run: SmokeRun) {
  await db
    .from('auth_access_tokens')
    .where('name', adminTokenName(run))
    .delete()
    .catch(() => undefined)
}

function adminTokenName(run: SmokeRun) {
  return `release:check ${run.runId} admin`
}

async function adminParty(run: SmokeRun, options: SmokeOptions): Promise<Party> {
  return run.step('admin token (in-process)', async () => {
    const user = await verifyCredentials(options.admin.email, options.admin.password).catch(
      (error) => {
        throw new SmokeFailure(`the admin credentials are refused: ${reasonOf(error)}`)
      }
    )
    if (user.role !== 'admin') {
      throw new SmokeFailure(`the admin credentials belong to a ${user.role}, not an admin`)
    }
    const { token } = await issueAccessToken(user, adminTokenName(run))
    return { label: 'admin', id: user.id, token }
  })
}

async function signUp(run: SmokeRun, role: 'brand' | 'creator'): Promise<Party> {
  const email = `release-${run.runId}-${role}@example.test`
  const password = `release-${randomBytes(12).toString('base64url')}`
  const id = await run.step(`register ${role}`, async () => {
    const response = await run.http.request('POST', '/api/auth/register', {
      json: { email, password, role, displayName: `Release check ${role}` },
    })
    return recordIn(response, expectSuccess(response, 201), 'user').id
  })
  const token = await run.step(`token for ${role}`, async () => {
    const response = await run.http.request('POST', '/api/auth/tokens', {
      json: { email, password, name: `release:check ${run.runId}` },
    })
    const data = expectSuccess(response, 201)
    if (typeof data.token !== 'string' || data.token === '') {
      throw new SmokeFailure('expected data.token', response)
    }
    return data.token
  })
  return { label: role, id, token }
}

/**
 * Offer, publish, apply, approve: the deal awaits funding. The offer is
 * closed then (or after a failure), so no throwaway offer stays published.
 */
async function openDeal(run: SmokeRun, cast: Throwaway): Promise<ApiRecord> {
  const offer = await run.step('create offer', async () => {
    const response = await run.http.request('POST', '/api/offers', {
      token: cast.brand.token,
      json: {
        title: `Release check ${run.runId}`,
        brief: 'Проверка перед выпуском',
        budget: BUDGET,
      },
    })
    return recordIn(response, expectSuccess(response, 201), 'offer', 'draft')
  })
  await run.step('publish offer', async () => {
    const response = await run.http.request('POST', `/api/offers/${offer.id}/publish`, {
      token: cast.brand.token,
    })
    recordIn(response, expectSuccess(response, 200), 'offer', 'published')
  })
  let deal: ApiRecord
  try {
    const application = await run.step('creator applies', async () => {
      const response = await run.http.request('POST', `/api/offers/${offer.id}/applications`, {
        token: cast.creator.token,
        json: { message: 'Release check' },
      })
      return recordIn(response, expectSuccess(response, 201), 'application', 'pending')
    })
    deal = await run.step('brand approves application', async () => {
      const response = await run.http.request(
        'POST',
        `/api/applications/${application.id}/approve`,
        { token: cast.brand.token }
      )
      return recordIn(response, expectSuccess(response, 200), 'deal', 'awaiting_funding')
    })
  } catch (error) {
    await closeOfferQuietly(run, cast.brand, offer)
    throw error
  }
  await closeOffer(run, cast.brand, offer)
  return deal
}

async function submitWork(run: SmokeRun, cast: Throwaway, deal: ApiRecord) {
  await run.step('creator submits work', async () => {
    const response = await run.http.request('POST', `/api/deals/${deal.id}/submit`, {
      token: cast.creator.token,
      json: { url: `https://example.com/release/${run.runId}`, note: 'Release check' },
    })
    recordIn(response, expectSuccess(response, 200), 'deal', 'submitted')
  })
}

async function requestPayout(run: SmokeRun, cast: Throwaway): Promise<ApiRecord> {
  const available = await run.step('creator balance', async () => {
    const response = await run.http.request('GET', '/api/balance', { token: cast.creator.token })
    const data = expectSuccess(response, 200)
    if (!isJsonObject(data.balance)) {
      throw new SmokeFailure('expected data.balance', response)
    }
    return integerIn(response, data.balance, 'available')
  })
  return run.step('creator requests payout', async () => {
    const response = await run.http.request('POST', '/api/payouts', {
      token: cast.creator.token,
      json: { amount: available },
      headers: { 'idempotency-key': `release-${run.runId}-payout` },
    })
    return recordIn(response, expectSuccess(response, 201), 'payout', 'requested')
  })
}

/**
 * The operation, then the same request with the same key: the second
 * answer is the replay of the first, and the ledger rows of the deal (or
 * payout) do not move. The first call must add rows, or the count is not
 * looking at the server's database.
 */
async function sendTwice(
  run: SmokeRun,
  name: string,
  key: 'deal' | 'payout',
  status: string,
  party: Party,
  path: string,
  rows: () => Promise<LedgerRows>
) {
  const request = {
    token: party.token,
    json: {},
    headers: { 'idempotency-key': `release-${run.runId}-${name.replace(' ', '-')}` },
  }
  const before = await rows()
  const afterFirst = await run.step(name, async () => {
    const response = await run.http.request('POST', path, request)
    recordIn(response, expectSuccess(response, 200), key, status)
    const counted = await rows()
    if (counted.transactions <= before.transactions) {
      throw new SmokeFailure(
        `${name} added no ledger transaction here: is this command on the server's database?`,
        response
      )
    }
    return counted
  })
  await run.step(`${name} again, same Idempotency-Key`, async () => {
    const response = await run.http.request('POST', path, request)
    if (response.status !== 200 || response.headers.get('idempotent-replayed') !== 'true') {
      throw new SmokeFailure(
        `expected the replay (HTTP 200, Idempotent-Replayed: true), got HTTP ${response.status}`,
        response
      )
    }
    const again = await rows()
    if (again.transactions !== afterFirst.transactions || again.entries !== afterFirst.entries) {
      throw new SmokeFailure(
        `the repeat added ledger rows (${afterFirst.transactions} → ${again.transactions} transactions, ` +
          `${afterFirst.entries} → ${again.entries} entries)`,
        response
      )
    }
  })
}

async function ledgerRows(owner: { dealId?: number; payoutId?: number }): Promise<LedgerRows> {
  const transactions = db.from('ledger_transactions')
  if (owner.dealId !== undefined) {
    transactions.where('deal_id', owner.dealId)
  } else {
    transactions.where('payout_id', owner.payoutId!)
  }
  const ids = await transactions.select('id')
  const entries = await db
    .from('ledger_entries')
    .whereIn(
      'transaction_id',
      ids.map((row) => row.id)
    )
    .count('* as total')
  return { transactions: ids.length, entries: Number(entries[0].total) }
}

function missFrom(error: unknown): ReleaseItemResult {
  const failure = failureReport(SmokeFailure.from(error))
  const details: string[] = []
  if (failure.request) {
    details.push(`request: ${failure.request} → HTTP ${failure.status}`)
    details.push(`requestId: ${failure.requestId}`)
    details.push(`body: ${JSON.stringify(failure.body).slice(0, 2000)}`)
  }
  return missed(`failed at step "${failure.step}": ${failure.message}`, details)
}
