import type { HttpContext } from '@adonisjs/core/http'
import OutboxEvent from '#models/outbox_event'
import OutboxPolicy from '#policies/outbox_policy'
import { findRecord } from '#http/find_record'
import { validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { pageValidator } from '#validators/web_forms'
import { listOutboxEvents, retryDeadEvent } from '#services/outbox/dead_events'

export default class AdminOutboxController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(OutboxPolicy).authorize('operate')
    const filters = await validateListQuery(ctx, pageValidator)
    const events = await listOutboxEvents({ ...filters, status: 'dead' })
    return ctx.view.render('pages/admin/outbox', { events })
  }

  async retry(ctx: HttpContext) {
    await ctx.bouncer.with(OutboxPolicy).authorize('operate')
    const event = await findRecord(OutboxEvent, ctx.params.id, Number.MAX_SAFE_INTEGER)
    await retryDeadEvent(event.id)
    ctx.logger.info({ eventId: event.id }, 'dead outbox event retried')
    return doneAndRedirect(ctx, 'outbox.retry.done')
  }
}
