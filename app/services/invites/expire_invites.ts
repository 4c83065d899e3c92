import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Invite from '#models/invite'
import Offer from '#models/offer'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { invitePayload } from '#services/invites/invite_payload'
import { toDbTimestamp } from '#services/database/timestamps'
import { DomainError } from '#exceptions/domain_error'

/**
 * Marks pending invites past their expiry as expired, each with its event,
 * in batches, all that are due or at most `maxBatches` of them (a worker's
 * turn). Each invite moves by a conditional update, so two runs at once
 * expire every invite exactly once between them.
 */
export async function expireInvites(batchSize = 200, maxBatches = Infinity) {
  let expired = 0
  let lastId = 0
  for (let batch = 0; batch < maxBatches; batch++) {
    const due = await lapsedInvites().where('id', '>', lastId).orderBy('id', 'asc').limit(batchSize)
    if (due.length === 0) {
      return expired
    }
    for (const invite of due) {
      lastId = invite.id
      if (await expireOne(invite)) {
        expired += 1
      }
    }
  }
  return expired
}

/** Whether pending invites past their expiry remain, whoever is expiring them. */
export async function invitesDue() {
  return (await lapsedInvites().select('id').first()) !== null
}

/** Pending invites whose time is up. */
function lapsedInvites() {
  return Invite.query()
    .where('status', 'pending')
    .where('expires_at', '<=', toDbTimestamp(DateTime.now()))
}

async function expireOne(invite: Invite) {
  return db.transaction(async (trx) => {
    const offer = await Offer.findOrFail(invite.offerId, { client: trx })
    return expireInviteIn(trx, invite, offer.title)
  })
}

/**
 * Marks one pending invite expired, with its event, inside the caller's
 * transaction. False when it was no longer pending: another run (or the
 * brand's new invite) expired it first, and recorded the event.
 */
export async function expireInviteIn(
  trx: TransactionClientContract,
  invite: Invite,
  offerTitle: string
) {
  try {
    await transitionStatus(trx, {
      table: 'invites',
      id: invite.id,
      from: ['pending'],
      to: 'expired',
    })
  } catch (error) {
    if (error instanceof DomainError && error.errorCode === 'CONFLICT') {
      return false
    }
    throw error
  }
  await recordEvent(trx, null, {
    type: 'invite.expired',
    aggregateType: 'invite',
    aggregateId: invite.id,
    payload: invitePayload(invite, offerTitle),
  })
  return true
}
