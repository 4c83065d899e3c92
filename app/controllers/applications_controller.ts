import type { HttpContext } from '@adonisjs/core/http'
import Offer from '#models/offer'
import Application from '#models/application'
import OfferPolicy from '#policies/offer_policy'
import ApplicationPolicy from '#policies/application_policy'
import { created, ok } from '#http/api_response'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import { listApplicationsValidator, submitApplicationValidator } from '#validators/application'
import { submitApplication } from '#services/applications/submit_application'
import {
  approveApplication,
  rejectApplication,
  withdrawApplication,
} from '#services/applications/decide_application'
import { listApplications } from '#services/applications/list_applications'

export default class ApplicationsController {
  async index(ctx: HttpContext) {
    const filters = await listApplicationsValidator.validate(ctx.request.qs())
    return ok(ctx, await listApplications(ctx.auth.getUserOrFail(), filters))
  }

  async store(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('apply', offer)
    const { message } = await ctx.request.validateUsing(submitApplicationValidator)
    const application = await submitApplication(actionContextOf(ctx), offer, message)
    return created(ctx, { application: application.toApi() })
  }

  async withdraw(ctx: HttpContext) {
    const application = await findRecord(Application, ctx.params.id)
    await ctx.bouncer.with(ApplicationPolicy).authorize('withdraw', application)
    const withdrawn = await withdrawApplication(actionContextOf(ctx), application)
    return ok(ctx, { application: withdrawn.toApi() })
  }

  async approve(ctx: HttpContext) {
    const application = await findRecord(Application, ctx.params.id)
    await ctx.bouncer.with(ApplicationPolicy).authorize('decide', application)
    const result = await approveApplication(actionContextOf(ctx), application)
    return ok(ctx, { application: result.application.toApi(), deal: result.deal.toApi() })
  }

  async reject(ctx: HttpContext) {
    const application = await findRecord(Application, ctx.params.id)
    await ctx.bouncer.with(ApplicationPolicy).authorize('decide', application)
    const rejected = await rejectApplication(actionContextOf(ctx), application)
    return ok(ctx, { application: rejected.toApi() })
  }
}
