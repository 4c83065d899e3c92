import type User from '#models/user'

/**
 * Who does something, and under which request: every state change records
 * both in its outbox event's meta.
 */
export type ActionContext = {
  actor: User
  requestId: string | null
}

/**
 * Where a change came from, as its event and ledger rows record it: a
 * user's action, or a request with no user behind it (the payment
 * provider's webhook). A command's change has neither.
 */
export type ChangeOrigin = { actor: Pick<User, 'id'> | null; requestId: string | null }
