import type { HttpContext } from '@adonisjs/core/http'
import OutboxEvent from '#models/outbox_event'
import OutboxPolicy from '#policies/outbox_policy'
import { ok } from '#http/api_response'
import { findRecord } from '#http/find_record'
import { listOutboxValidator } from '#validators/outbox'
import { listOutboxEvents, presentEvent, retryDeadEvent } from '#services/outbox/dead_events'

export default class AdminOutboxController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(OutboxPolicy).authorize('operate')
    const filters = await listOutboxValidator.validate(ctx.request.qs())
    return ok(ctx, await listOutboxEvents(filters))
  }

  async retry(ctx: HttpContext) {
    await ctx.bouncer.with(OutboxPolicy).authorize('operate')
    const event = await findRecord(OutboxEvent, ctx.params.id, Number.MAX_SAFE_INTEGER)
    const retried = await retryDeadEvent(event.id)
    ctx.logger.info({ eventId: event.id }, 'dead outbox event retried')
    return ok(ctx, { event: presentEvent(retried) })
  }
}
