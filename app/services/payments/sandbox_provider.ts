import app from '@adonisjs/core/services/app'
import type {
  ChargeRequest,
  ChargeResult,
  PaymentProvider,
} from '#services/payments/payment_provider'

export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox'

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    return { status: 'confirmed', providerReference: `sandbox:${request.reference}` }
  }
}

/**
 * The provider in use, from the container, so that a test can put a
 * provider of its own in its place (`app.container.swap`).
 */
export function paymentProvider(): Promise<PaymentProvider> {
  return app.container.make(SandboxPaymentProvider)
}
