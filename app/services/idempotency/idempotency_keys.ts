import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { toApiError } from '#exceptions/api_error'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'

/**
 * How long a key is remembered; `idempotency:prune` removes older ones.
 */
export const IDEMPOTENCY_KEY_TTL = { hours: 24 }

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
 * race: the loser sees the winner's row, in progress or done.
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
    return { kind: 'in_use' }
  }
  return {
    kind: 'replay',
    status: Number(existing.response_status),
    body: JSON.parse(existing.response_body),
  }
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
