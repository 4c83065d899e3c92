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
 * payout decisions replay from their ledger reference, and a payout request
 * made under a key is found again by it. No request runs for this long.
 */
export const IDEMPOTENCY_CLAIM_LEASE = { seconds: 60 }

export type Claim =
  | { kind: 'fresh'; id: number }
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
    const [row] = await db
      .table('idempotency_keys')
      .insert({
        key,
        user_id: userId,
        method_route: methodRoute,
        request_hash: requestHash,
        state: 'in_progress',
        created_at: dbNow(),
      })
      .returning('id')
    return { kind: 'fresh', id: Number(typeof row === 'object' ? row.id : row) }
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
    return (await takeOverAbandonedClaim(Number(existing.id)))
      ? { kind: 'fresh', id: Number(existing.id) }
      : { kind: 'in_use' }
  }
  return {
    kind: 'replay',
    status: Number(existing.response_status),
    body: JSON.parse(existing.response_body),
  }
}

async function takeOverAbandonedClaim(id: number) {
  const leaseStart = toDbTimestamp(DateTime.now().minus(IDEMPOTENCY_CLAIM_LEASE))
  const updated = await db
    .from('idempotency_keys')
    .where({ id, state: 'in_progress' })
    .where('created_at', '<', leaseStart)
    .update({ created_at: dbNow() })
  return Number(Array.isArray(updated) ? updated[0] : updated) === 1
}

export async function completeIdempotencyKey(id: number, status: number, body: unknown) {
  await db
    .from('idempotency_keys')
    .where('id', id)
    .update({ state: 'done', response_status: status, response_body: JSON.stringify(body) })
}

/**
 * A request that failed is not remembered: the client may retry it with the
 * same key.
 */
export async function releaseIdempotencyKey(id: number) {
  await db.from('idempotency_keys').where('id', id).delete()
}

export async function pruneIdempotencyKeys(olderThan = IDEMPOTENCY_KEY_TTL) {
  const cutoff = toDbTimestamp(DateTime.now().minus(olderThan))
  const deleted = await db.from('idempotency_keys').where('created_at', '<', cutoff).delete()
  return Number(Array.isArray(deleted) ? deleted[0] : deleted)
}
