import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import type User from '#models/user'
import TelegramBinding from '#models/telegram_binding'
import { dbNow } from '#services/database/timestamps'

/**
 * How long a binding code may be used.
 */
export const BINDING_CODE_TTL = { minutes: 15 }

export function hashBindingCode(code: string) {
  return createHash('sha256').update(code).digest('hex')
}

/**
 * Starts a new binding: a single-use code of 192 random bits (32
 * base64url characters) and the bot deep link that carries it. Any earlier
 * pending or active binding of the user is revoked in the same
 * transaction: binding again replaces the old binding.
 */
export async function startBinding(user: User) {
  const code = randomBytes(24).toString('base64url')
  const binding = await db.transaction(async (trx) => {
    await trx
      .from('telegram_bindings')
      .where('user_id', user.id)
      .whereIn('status', ['pending', 'active', 'inactive'])
      .update({ status: 'revoked', code_hash: null, updated_at: dbNow(trx) })
    return TelegramBinding.create(
      {
        userId: user.id,
        codeHash: hashBindingCode(code),
        status: 'pending',
        attempts: 0,
        expiresAt: DateTime.now().plus(BINDING_CODE_TTL),
      },
      { client: trx }
    )
  })
  const bot = env.get('TELEGRAM_BOT_USERNAME')
  return {
    code,
    deepLink: bot ? `https://t.me/${bot}?start=${code}` : null,
    expiresAt: binding.expiresAt.toISO(),
    binding,
  }
}

export async function currentBinding(user: User) {
  return TelegramBinding.query().where('user_id', user.id).orderBy('id', 'desc').first()
}

/**
 * Unbinds: whatever the user's binding is, it ends revoked and forgets its
 * code. Returns whether there was anything to revoke.
 */
export async function revokeBinding(user: User) {
  const updated = await db
    .from('telegram_bindings')
    .where('user_id', user.id)
    .whereIn('status', ['pending', 'active', 'inactive'])
    .update({ status: 'revoked', code_hash: null, updated_at: dbNow() })
  return Number(Array.isArray(updated) ? updated[0] : updated) > 0
}

/**
 * The ids of the users an admin has not blocked, as a subquery. A blocked
 * account keeps its binding, so that unblocking restores it, but while it
 * is blocked nothing is sent to its chat and no chat can be bound to it.
 */
export function unblockedUserIds(client: Pick<QueryClientContract, 'from'> = db) {
  return client.from('users').whereNull('blocked_at').select('id')
}

/**
 * The chat of each user's active binding, for the users given; none for a
 * blocked user.
 */
export async function activeChatsByUser(userIds: number[]) {
  const chats = new Map<number, number>()
  if (userIds.length === 0) {
    return chats
  }
  const rows = await db
    .from('telegram_bindings')
    .whereIn('user_id', userIds)
    .whereIn('user_id', unblockedUserIds())
    .where('status', 'active')
    .whereNotNull('chat_id')
    .orderBy('id', 'asc')
    .select('user_id', 'chat_id')
  for (const row of rows) {
    chats.set(Number(row.user_id), Number(row.chat_id))
  }
  return chats
}
