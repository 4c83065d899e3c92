import i18nManager from '@adonisjs/i18n/services/main'

/**
 * Why an operation was refused, beyond its catalogue code. The words live in
 * resources/lang/ru/errors.json (`reasons`), shared by the API and the pages.
 */
export const ERROR_REASONS = [
  'work_submitted_refund_by_admin',
  'admin_cannot_be_blocked',
  'email_taken',
  'account_blocked',
  'only_drafts_editable',
  'offer_not_published',
  'invite_expired',
  'creator_not_found',
  'creator_blocked',
  'invite_needs_published_offer',
  'creator_already_invited',
  'deal_not_found',
  'payment_amount_mismatch',
  'payment_not_confirmed',
  'apply_needs_published_offer',
  'already_applied',
  'wrong_credentials',
  'telegram_not_bound',
  'no_token_to_revoke',
  'wrong_telegram_secret',
  'wrong_payment_signature',
  'idempotency_key_format',
  'user_already_blocked',
  'user_not_blocked',
  'field_required',
  'nul_character',
  'unpaired_surrogate',
  'encoded_body',
  'cross_origin_write',
  'payout_above_available',
  'creator_balance_short',
  'creator_has_deal_on_offer',
  'brand_blocked',
] as const

export type ErrorReason = (typeof ERROR_REASONS)[number]

function translations() {
  return i18nManager.locale(i18nManager.defaultLocale)
}

export function errorReason(reason: ErrorReason, values?: Record<string, string>) {
  return translations().t(`errors.reasons.${reason}`, values)
}

/**
 * A CONFLICT message names the record's current status (the API contract),
 * in the translated sentence.
 */
export function conflictMessage(currentStatus: string, reason?: string) {
  const status = translations().t('errors.current_status', { status: currentStatus })
  return reason
    ? `${reason} (${status})`
    : translations().t('errors.conflict_with_status', { status })
}
