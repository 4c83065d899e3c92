/**
 * The web page a notification leads to, the same in the app and on the
 * Telegram button: the deal when the notification is about one (approved
 * and accepted carry the deal they opened), else the page where the
 * recipient acts on it (docs/WEB.md). Null when the payload names none.
 */
export function notificationPath(type: string, payload: Record<string, unknown>): string | null {
  const dealId = recordId(payload.dealId)
  if (dealId !== null) {
    return `/deals/${dealId}`
  }
  if (type.startsWith('payout_')) {
    return '/balance'
  }
  if (type === 'application_approved' || type === 'application_rejected') {
    return '/applications'
  }
  if (type === 'invite_received') {
    return '/invites'
  }
  const offerId = recordId(payload.offerId)
  return offerId === null ? null : `/offers/${offerId}`
}

function recordId(value: unknown) {
  const id = Number(value)
  return Number.isSafeInteger(id) && id > 0 ? id : null
}
