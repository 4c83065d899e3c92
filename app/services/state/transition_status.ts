import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DomainError, type RecordKind } from '#exceptions/domain_error'
import { dbNow } from '#services/database/timestamps'

type Transition = {
  table: string
  id: number
  from: readonly string[]
  to: string
  set?: Record<string, unknown>
  /** Tables without an updated_at column say false. */
  touchUpdatedAt?: boolean
}

/**
 * The one way a status changes (DESIGN.md §4): a conditional update that
 * only matches a row still in an expected status. Zero rows means someone
 * else moved it first, or it never was in that status: CONFLICT, naming
 * the status it is in now. Never read-then-write.
 */
export async function transitionStatus(trx: TransactionClientContract, transition: Transition) {
  const updated = await trx
    .from(transition.table)
    .where('id', transition.id)
    .whereIn('status', [...transition.from])
    .update({
      ...transition.set,
      status: transition.to,
      ...(transition.touchUpdatedAt === false ? {} : { updated_at: dbNow(trx) }),
    })

  if (Number(Array.isArray(updated) ? updated[0] : updated) === 1) {
    return
  }
  const current = await trx
    .from(transition.table)
    .where('id', transition.id)
    .select('status')
    .first()
  if (!current) {
    throw new DomainError('NOT_FOUND')
  }
  throw DomainError.conflict(current.status, undefined, KIND_OF_TABLE[transition.table])
}

const KIND_OF_TABLE: Record<string, RecordKind> = {
  offers: 'offer',
  applications: 'application',
  invites: 'invite',
  deals: 'deal',
  payout_requests: 'payout',
}
