import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Deal from '#models/deal'
import Offer from '#models/offer'
import type { ActionContext, ChangeOrigin } from '#services/action_context'
import { DomainError } from '#exceptions/domain_error'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { dealPayload } from '#services/deals/open_deal'
import { postLedgerTransaction } from '#services/ledger/post_ledger_transaction'
import { accounts, references } from '#services/ledger/accounts'
import { applyOnce } from '#services/payments/apply_once'
import { paymentProvider } from '#services/payments/sandbox_provider'
import { errorReason } from '#exceptions/error_reasons'

/**
 * The brand pays the deal's amount into escrow: external:brand_funding →
 * escrow:deal:<id>, with the deal moving awaiting_funding → funded, in one
 * transaction. Repeating it replays the current state.
 *
 * The provider is charged inside that transaction, after the status update
 * has taken the deal's row (PostgreSQL) or the database's write lock
 * (SQLite): a concurrent fund or cancel of the same deal waits, then finds
 * it funded, so it neither charges the brand again nor cancels a deal whose
 * charge went through. A charge that is not confirmed rolls the move back.
 */
export async function fundDeal(action: ActionContext, deal: Deal) {
  return db.transaction((trx) => bookFunding(trx, action, deal.id, chargeBrand))
}

async function chargeBrand(deal: Deal) {
  const provider = await paymentProvider()
  const charge = await provider.charge({
    reference: references.fund(deal.id),
    dealId: deal.id,
    amount: deal.amount,
    currency: deal.currency,
  })
  if (charge.status !== 'confirmed') {
    throw new DomainError('CONFLICT', { message: errorReason('payment_not_confirmed') })
  }
}

/**
 * Books a payment inside the caller's transaction. Shared by the sandbox
 * path, which charges the brand once the deal is moved (`beforeBooking`),
 * and the provider webhook, whose payment is already confirmed.
 */
export async function bookFunding(
  trx: TransactionClientContract,
  origin: ChangeOrigin,
  dealId: number,
  beforeBooking?: (deal: Deal) => Promise<void>
) {
  const deal = await Deal.findOrFail(dealId, { client: trx })
  const outcome = await applyOnce(
    trx,
    references.fund(deal.id),
    () =>
      transitionStatus(trx, {
        table: 'deals',
        id: deal.id,
        from: ['awaiting_funding'],
        to: 'funded',
      }),
    async () => {
      await beforeBooking?.(deal)
      await postFund(trx, origin, deal)
      const offer = await Offer.findOrFail(deal.offerId, { client: trx })
      await recordEvent(trx, origin, {
        type: 'deal.funded',
        aggregateType: 'deal',
        aggregateId: deal.id,
        payload: dealPayload(deal, offer.title),
      })
    }
  )
  return { deal: await Deal.findOrFail(deal.id, { client: trx }), outcome }
}

/** The deal's amount into its escrow: external:brand_funding → escrow:deal:<id>. */
export function postFund(trx: TransactionClientContract, origin: ChangeOrigin, deal: Deal) {
  return postLedgerTransaction(trx, {
    reference: references.fund(deal.id),
    kind: 'fund',
    dealId: deal.id,
    requestId: origin.requestId,
    currency: deal.currency,
    entries: [
      { account: accounts.brandFunding, amount: -deal.amount },
      { account: accounts.escrow(deal.id), amount: deal.amount },
    ],
  })
}
