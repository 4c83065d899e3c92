import db from '@adonisjs/lucid/services/db'
import { dbNow } from '#services/database/timestamps'
import { unblockedUserIds } from '#services/telegram/bindings'

function affectedRows(result: unknown) {
  return Number(Array.isArray(result) ? result[0] : result)
}

/**
 * `/stop` in the chat: its binding ends `revoked`, like DELETE
 * /api/telegram/binding. Revoked rather than `inactive` because the user
 * asked for it: unblocking the bot later must not bring it back, only a new
 * code does. Returns whether the chat had a binding to stop.
 */
export async function stopChatBinding(chatId: number) {
  const updated = await db
    .from('telegram_bindings')
    .where('chat_id', chatId)
    .whereIn('status', ['active', 'inactive'])
    .update({ status: 'revoked', code_hash: null, updated_at: dbNow() })
  return affectedRows(updated) > 0
}

/**
 * The user blocked the bot (`my_chat_member`: kicked): nothing can be sent
 * to the chat, so its active binding becomes `inactive` and deliveries skip
 * it until the user unblocks.
 */
export async function deactivateChatBinding(chatId: number) {
  const updated = await db
    .from('telegram_bindings')
    .where('chat_id', chatId)
    .where('status', 'active')
    .update({ status: 'inactive', updated_at: dbNow() })
  return affectedRows(updated) > 0
}

/**
 * The user unblocked the bot (`my_chat_member`: member): an `inactive`
 * binding of the chat — set by a block here or by a 403 on delivery —
 * becomes `active` again. Revoked and expired bindings stay as they are.
 * For an account an admin blocked it is still made active, since Telegram
 * tells of an unblock only once: nothing is sent to it while the account is
 * blocked, and its chat receives again once an admin unblocks it.
 */
export async function reactivateChatBinding(chatId: number) {
  const updated = await db
    .from('telegram_bindings')
    .where('chat_id', chatId)
    .where('status', 'inactive')
    .update({ status: 'active', updated_at: dbNow() })
  return affectedRows(updated) > 0
}

/**
 * Whether notifications come to the chat: an active binding of an account
 * an admin has not blocked.
 */
export async function chatIsBound(chatId: number) {
  const row = await db
    .from('telegram_bindings')
    .where('chat_id', chatId)
    .where('status', 'active')
    .whereIn('user_id', unblockedUserIds())
    .select('id')
    .first()
  return Boolean(row)
}
