import type User from '#models/user'

/**
 * Who does something, and under which request: every state change records
 * both in its outbox event's meta.
 */
export type ActionContext = {
  actor: User
  requestId: string | null
}
