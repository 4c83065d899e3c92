/**
 * Where a brand's money comes from. The sandbox provider confirms every
 * charge at once; a real provider would confirm later through the signed
 * webhook (POST /api/payments/webhook).
 */
export type ChargeRequest = {
  reference: string
  dealId: number
  amount: number
  currency: string
}

export type ChargeResult = { status: 'confirmed' | 'pending'; providerReference: string }

export interface PaymentProvider {
  readonly name: string
  charge(request: ChargeRequest): Promise<ChargeResult>
}
