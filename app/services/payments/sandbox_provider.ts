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

export function paymentProvider(): PaymentProvider {
  return new SandboxPaymentProvider()
}
