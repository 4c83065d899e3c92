import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { DomainError } from '#exceptions/domain_error'
import { dbNow } from '#services/database/timestamps'
import { errorReason } from '#exceptions/error_reasons'

/**
 * An admin blocks or unblocks a creator or brand. A blocked user is refused
 * on every request (the auth middleware) and at sign-in. Admins are not
 * blocked here, so the last admin can never lock everyone out. Each change
 * is a conditional update: blocking a blocked user is CONFLICT.
 */
export async function blockUser(user: User) {
  return setBlocked(user, true)
}

export async function unblockUser(user: User) {
  return setBlocked(user, false)
}

async function setBlocked(user: User, blocked: boolean) {
  if (user.role === 'admin') {
    throw new DomainError('CONFLICT', { message: errorReason('admin_cannot_be_blocked') })
  }
  const query = db.from('users').where('id', user.id).whereNot('role', 'admin')
  if (blocked) {
    query.whereNull('blocked_at')
  } else {
    query.whereNotNull('blocked_at')
  }
  const updated = await query.update({
    blocked_at: blocked ? dbNow() : null,
    updated_at: dbNow(),
  })
  if (Number(Array.isArray(updated) ? updated[0] : updated) !== 1) {
    throw new DomainError('CONFLICT', {
      message: blocked ? errorReason('user_already_blocked') : errorReason('user_not_blocked'),
    })
  }
  return User.findOrFail(user.id)
}
