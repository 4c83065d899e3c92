import { errorReason } from '#exceptions/error_reasons'
import type { HttpContext } from '@adonisjs/core/http'
import { ok, requestIdOf } from '#http/api_response'
import { DomainError } from '#exceptions/domain_error'
import { providerEventValidator } from '#validators/payment_webhook'
import {
  handleProviderEvent,
  verifyProviderSignature,
} from '#services/payments/handle_provider_webhook'

export default class PaymentWebhookController {
  async handle(ctx: HttpContext) {
    if (
      !verifyProviderSignature(ctx.request.raw() ?? '', ctx.request.header('x-payment-signature'))
    ) {
      throw new DomainError('UNAUTHENTICATED', { message: errorReason('wrong_payment_signature') })
    }
    const event = await providerEventValidator.validate(ctx.request.body())
    return ok(ctx, await handleProviderEvent(event, requestIdOf(ctx)))
  }
}
