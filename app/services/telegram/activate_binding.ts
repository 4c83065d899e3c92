import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import User from '#models/user'
import TelegramBinding from '#models/telegram_binding'
import { hashBindingCode, unblockedUserIds } from '#services/telegram/bindings'
import { dbNow } from '#services/database/timestamps'
import { limiterKey } from '#services/auth/limiter_keys'

/**
 * Failed `/start <code>` attempts one chat may make before it is refused
 * without a lookup. Counted in the database store so that every process
 * taking in updates (web server, `telegram:work`) shares the counter.
 */
export const START_ATTEMPT_LIMIT = { attempts: 5, window: '15 minutes' }

/** What Telegram lets a deep-link payload be; anything else cannot be a code. */
const CODE_SHAPE = /^[A-Za-z0-9_-]{1,64}$/

export type ActivationOutcome =
  | { outcome: 'activated'; bindingId: number; displayName: string }
  | { outcome: 'already_bound'; bindingId: number }
  | { outcome: 'unknown' }
  | { outcome: 'used'; bindingId: number }
  | { outcome: 'expired'; bindingId: number }
  | { outcome: 'account_blocked'; bindingId: number }
  | { outcome: 'rate_limited'; retryAfterSeconds: number }

export type StartRequest = { code: string; chatId: number; telegramUserId: number }

function startAttempts() {
  return limiter.use('database', {
    requests: START_ATTEMPT_LIMIT.attempts,
    duration: START_ATTEMPT_LIMIT.window,
  })
}

/**
 * The limiter key of a chat: a keyed hash, so the rate_limits table never
 * holds a chat id.
 */
function chatKey(chatId: number) {
  return `tg_start_${limiterKey('telegram-start', String(chatId))}`
}

function affectedRows(result: unknown) {
  return Number(Array.isArray(result) ? result[0] : result)
}

/**
 * `/start <code>`: turns the pending binding whose code this is into the
 * chat's active binding. Single use: only a pending binding activates, in a
 * conditional update, so of two concurrent starts with one code exactly one
 * does. The code hash stays on the binding it activated, so the same chat
 * sending it again (a second tap on the deep link) is told it is bound, or
 * that the account is blocked, and is not counted as a failure. Any other
 * binding of the same chat or Telegram user is revoked. Every failure
 * counts against the chat (and against the binding when the code names
 * one); a chat over the limit is refused before any lookup.
 */
export async function activateBinding(request: StartRequest): Promise<ActivationOutcome> {
  const attempts = startAttempts()
  const key = chatKey(request.chatId)
  if (await attempts.isBlocked(key)) {
    return { outcome: 'rate_limited', retryAfterSeconds: await attempts.availableIn(key) }
  }

  const outcome = await tryActivation(request)
  if (['unknown', 'used', 'expired'].includes(outcome.outcome)) {
    await attempts.increment(key)
  }
  return outcome
}

async function tryActivation(request: StartRequest): Promise<ActivationOutcome> {
  if (!CODE_SHAPE.test(request.code)) {
    return { outcome: 'unknown' }
  }
  const codeHash = hashBindingCode(request.code)
  const binding = await TelegramBinding.findBy('code_hash', codeHash)
  if (!binding) {
    return { outcome: 'unknown' }
  }
  if (['active', 'inactive'].includes(binding.status) && binding.chatId === request.chatId) {
    const owner = await User.findOrFail(binding.userId)
    return owner.isBlocked
      ? { outcome: 'account_blocked', bindingId: binding.id }
      : { outcome: 'already_bound', bindingId: binding.id }
  }
  if (binding.status !== 'pending') {
    await countBindingAttempt(binding.id)
    return binding.status === 'expired'
      ? { outcome: 'expired', bindingId: binding.id }
      : { outcome: 'used', bindingId: binding.id }
  }

  const activated = await db.transaction(async (trx) => {
    if (trx.dialect.name === 'postgres') {
      // Activations in one chat take turns: two codes of different accounts
      // sent at once would each miss the other's uncommitted activation
      // and leave the chat bound twice (SQLite writes one at a time).
      await trx.rawQuery("select pg_advisory_xact_lock(hashtext('telegram-chat:' || ?))", [
        String(request.chatId),
      ])
    }
    const now = dbNow(trx)
    const updated = await trx
      .from('telegram_bindings')
      .where('id', binding.id)
      .where('status', 'pending')
      .where('code_hash', codeHash)
      .where('expires_at', '>', now)
      .whereIn('user_id', unblockedUserIds(trx))
      .update({
        status: 'active',
        chat_id: request.chatId,
        telegram_user_id: request.telegramUserId,
        bound_at: now,
        updated_at: now,
      })
    if (affectedRows(updated) !== 1) {
      return false
    }
    await trx
      .from('telegram_bindings')
      .whereNot('id', binding.id)
      .whereIn('status', ['active', 'inactive'])
      .where((query) => {
        query.where('chat_id', request.chatId).orWhere('telegram_user_id', request.telegramUserId)
      })
      .update({ status: 'revoked', code_hash: null, updated_at: now })
    return true
  })
  if (activated) {
    const user = await User.findOrFail(binding.userId)
    return { outcome: 'activated', bindingId: binding.id, displayName: user.displayName }
  }
  return settleLostActivation(binding.id, request.chatId)
}

/**
 * The conditional update matched nothing: the code expired, a concurrent
 * start used it first, or an admin blocked the account after the code was
 * given (the code stays pending and unusable until it expires). The same
 * chat sending its code twice is not a failure.
 */
async function settleLostActivation(bindingId: number, chatId: number): Promise<ActivationOutcome> {
  const blocked = await db
    .from('telegram_bindings')
    .join('users', 'users.id', 'telegram_bindings.user_id')
    .where('telegram_bindings.id', bindingId)
    .where('telegram_bindings.status', 'pending')
    .whereNotNull('users.blocked_at')
    .select('telegram_bindings.id')
    .first()
  if (blocked) {
    return { outcome: 'account_blocked', bindingId }
  }
  const expired = await db
    .from('telegram_bindings')
    .where('id', bindingId)
    .where('status', 'pending')
    .where('expires_at', '<=', dbNow())
    .update({
      status: 'expired',
      attempts: db.raw('attempts + 1'),
      updated_at: dbNow(),
    })
  if (affectedRows(expired) === 1) {
    return { outcome: 'expired', bindingId }
  }
  const current = await TelegramBinding.find(bindingId)
  if (current?.status === 'active' && current.chatId === chatId) {
    return { outcome: 'already_bound', bindingId }
  }
  await countBindingAttempt(bindingId)
  return { outcome: 'used', bindingId }
}

async function countBindingAttempt(bindingId: number) {
  await db
    .from('telegram_bindings')
    .where('id', bindingId)
    .update({ attempts: db.raw('attempts + 1'), updated_at: dbNow() })
}

/**
 * A code posted where others can read it (`/start <code>` in a group) is
 * revoked at once: any member could otherwise bind the account to their own
 * chat within its 15 minutes. True when a pending code was revoked.
 */
export async function revokeExposedCode(code: string) {
  if (!CODE_SHAPE.test(code)) {
    return false
  }
  const revoked = await db
    .from('telegram_bindings')
    .where('code_hash', hashBindingCode(code))
    .where('status', 'pending')
    .update({ status: 'revoked', code_hash: null, updated_at: dbNow() })
  return affectedRows(revoked) === 1
}
