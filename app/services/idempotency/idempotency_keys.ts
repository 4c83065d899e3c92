import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { toApiError } from '#exceptions/api_error'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'

/**
 * How long a key is remembered; `idempotency:prune` removes older ones.
 */
export const IDEMPOTENCY_KEY_TTL = { hours: 24 }

/**
 * How long a claimed key counts as still running. A server that dies
 * between committing the operation and recording its answer leaves the key
 * in progress; after this, the same key and body run the request again.
 * That is safe because every money route repeats safely: the deal and
 * payout decisions replay (from their ledger reference, or from the status
 * they ended in when no money moved), and a payout request made under a key
 * is found again by it. A request slower than the lease, taken over, can
 * no longer record or release the key (KeyClaim).
 */
export const IDEMPOTENCY_CLAIM_LEASE = { seconds: 60 }

/**
 * A request's hold on a key row. `claimedAt` tells this hold from a later
 * takeover of the same row: recording the answer and releasing the key
 * match it, so a request that outlived its lease changes nothing.
 */
export type KeyClaim = { id: number; claimedAt: ReturnType<typeof dbNow> }

export type Claim =
  | ({ kind: 'fresh' } & KeyClaim)
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'reused' }
  | { kind: 'in_use' }

/**
 * A stable fingerprint of a request: route, path parameters and body, with
 * object keys sorted so that key order does not matter.
 */
export function requestFingerprint(methodRoute: string, params: unknown, body: unknown) {
  return createHash('sha256')
    .update(JSON.stringify(canonical({ methodRoute, params, body })))
    .digest('hex')
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical)
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])])
    )
  }
  return value
}

/**
 * Claims a key for one request. The unique (user, key) index decides a
 * race: the loser sees the winner's row, in progress or done. A claim older
 * than the lease is taken over by one request: the conditional update
 * renews it, so a second request at the same moment finds it young.
 */
export async function claimIdempotencyKey(
  userId: number,
  key: string,
  methodRoute: string,
  requestHash: string
): Promise<Claim> {
  try {
    const claimedAt = dbNow()
    const [row] = await db
      .table('idempotency_keys')
      .insert({
        key,
        user_id: userId,
        method_route: methodRoute,
        request_hash: requestHash,
        state: 'in_progress',
        created_at: claimedAt,
      })
      .returning('id')
    return { kind: 'fresh', id: Number(typeof row === 'object' ? row.id : row), claimedAt }
  } catch (error) {
    if (toApiError(error).code !== 'CONFLICT') {
      throw error
    }
  }
  const existing = await db.from('idempotency_keys').where({ user_id: userId, key }).first()
  if (!existing) {
    return { kind: 'in_use' }
  }
  if (existing.method_route !== methodRoute || existing.request_hash !== requestHash) {
    return { kind: 'reused' }
  }
  if (existing.state !== 'done') {
    const claimedAt = await takeOverAbandonedClaim(Number(existing.id))
    return claimedAt === null
      ? { kind: 'in_use' }
      : { kind: 'fresh', id: Number(existing.id), claimedAt }
  }
  return {
    kind: 'replay',
    status: Number(existing.response_status),
    body: JSON.parse(existing.response_body),
  }
}

async function takeOverAbandonedClaim(id: number) {
  const leaseStart = toDbTimestamp(DateTime.now().minus(IDEMPOTENCY_CLAIM_LEASE))
  const claimedAt = dbNow()
  const updated = await db
    .from('idempotency_keys')
    .where({ id, state: 'in_progress' })
    .where('created_at', '<', leaseStart)
    .update({ created_at: claimedAt })
  return Number(Array.isArray(updated) ? updated[0] : updated) === 1 ? claimedAt : null
}

export async function completeIdempotencyKey(claim: KeyClaim, status: number, body: unknown) {
  await db
    .from('idempotency_keys')
    .where({ id: claim.id, created_at: claim.claimedAt })
    .update({ state: 'done', response_status: status, response_body: JSON.stringify(body) })
}

/**
 * A request that failed is not remembered: the client may retry it with the
 * same key.
 */
export async function releaseIdempotencyKey(claim: KeyClaim) {
  await db.from('idempotency_keys').where({ id: claim.id, created_at: claim.claimedAt }).delete()
}

export async function pruneIdempotencyKeys(olderThan = IDEMPOTENCY_KEY_TTL) {
  const cutoff = toDbTimestamp(DateTime.now().minus(olderThan))
  const deleted = await db.from('idempotency_keys').where('created_at', '<', cutoff).delete()
  return Number(Array.isArray(deleted) ? deleted[0] : deleted)
}
