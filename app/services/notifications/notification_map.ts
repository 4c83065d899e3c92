/**
 * The one map from a domain action to who hears about it (DESIGN.md §6):
 * event type → recipient(s) → notification type → also sent to Telegram?
 * docs/NOTIFICATIONS.md shows the same table; a test keeps them equal.
 *
 * Recipients are roles in the event: `brand` and `creator` are the ids in
 * the event payload. The actor is never notified of their own action.
 */
export type Recipient = 'brand' | 'creator'

export type NotificationRule = {
  recipient: Recipient
  notification: string
  telegram: boolean
}

export const NOTIFICATION_MAP = {
  'offer.published': [],
  'offer.closed': [],

  'application.submitted': [
    { recipient: 'brand', notification: 'application_received', telegram: true },
  ],
  'application.withdrawn': [
    { recipient: 'brand', notification: 'application_withdrawn', telegram: false },
  ],
  'application.approved': [
    { recipient: 'creator', notification: 'application_approved', telegram: true },
  ],
  'application.rejected': [
    { recipient: 'creator', notification: 'application_rejected', telegram: false },
  ],

  'invite.created': [{ recipient: 'creator', notification: 'invite_received', telegram: true }],
  'invite.accepted': [{ recipient: 'brand', notification: 'invite_accepted', telegram: true }],
  'invite.declined': [{ recipient: 'brand', notification: 'invite_declined', telegram: false }],
  'invite.withdrawn': [{ recipient: 'creator', notification: 'invite_withdrawn', telegram: false }],
  'invite.expired': [
    { recipient: 'brand', notification: 'invite_expired', telegram: false },
    { recipient: 'creator', notification: 'invite_expired', telegram: false },
  ],

  'deal.created': [
    { recipient: 'brand', notification: 'deal_created', telegram: false },
    { recipient: 'creator', notification: 'deal_created', telegram: false },
  ],
  'deal.funded': [{ recipient: 'creator', notification: 'deal_funded', telegram: true }],
  'deal.submitted': [{ recipient: 'brand', notification: 'work_submitted', telegram: true }],
  'deal.changes_requested': [
    { recipient: 'creator', notification: 'changes_requested', telegram: true },
  ],
  'deal.completed': [{ recipient: 'creator', notification: 'payment_released', telegram: true }],
  'deal.cancelled': [
    { recipient: 'brand', notification: 'deal_cancelled', telegram: false },
    { recipient: 'creator', notification: 'deal_cancelled', telegram: true },
  ],
  'deal.refunded': [
    { recipient: 'brand', notification: 'deal_refunded', telegram: true },
    { recipient: 'creator', notification: 'deal_refunded', telegram: true },
  ],

  'payout.requested': [],
  'payout.approved': [{ recipient: 'creator', notification: 'payout_approved', telegram: false }],
  'payout.rejected': [{ recipient: 'creator', notification: 'payout_rejected', telegram: true }],
  'payout.paid': [{ recipient: 'creator', notification: 'payout_paid', telegram: true }],
} as const satisfies Record<string, readonly NotificationRule[]>

export type EventType = keyof typeof NOTIFICATION_MAP

export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(NOTIFICATION_MAP, type)
}

/**
 * The table as docs/NOTIFICATIONS.md shows it.
 */
export function renderNotificationTable(): string {
  const lines = ['| event | recipient | notification | Telegram |', '|---|---|---|---|']
  for (const [event, rules] of Object.entries(NOTIFICATION_MAP)) {
    if (rules.length === 0) {
      lines.push(`| \`${event}\` | — | — | — |`)
    }
    for (const rule of rules as readonly NotificationRule[]) {
      lines.push(
        `| \`${event}\` | ${rule.recipient} | \`${rule.notification}\` | ${rule.telegram ? 'yes' : 'no'} |`
      )
    }
  }
  return lines.join('\n')
}
