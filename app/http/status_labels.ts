import type { I18n } from '@adonisjs/i18n'
import type { OfferStatus } from '#models/offer'
import type { ApplicationStatus } from '#models/application'
import type { InviteStatus } from '#models/invite'
import type { DealStatus } from '#models/deal'
import type { PayoutStatus } from '#models/payout_request'
import type { OutboxStatus } from '#models/outbox_event'
import type { BindingStatus } from '#models/telegram_binding'

export type BadgeTone = 'neutral' | 'info' | 'warning' | 'success' | 'danger'

/**
 * The one map from a record's status to how a page shows it: the label is
 * the i18n key `status.<kind>.<status>`, the tone picks the badge colour.
 * Pages never print a raw status.
 */
export const STATUS_TONES = {
  offer: { draft: 'neutral', published: 'success', closed: 'neutral' },
  application: {
    pending: 'warning',
    approved: 'success',
    rejected: 'danger',
    withdrawn: 'neutral',
  },
  invite: {
    pending: 'warning',
    accepted: 'success',
    declined: 'danger',
    withdrawn: 'neutral',
    expired: 'neutral',
  },
  deal: {
    awaiting_funding: 'warning',
    funded: 'info',
    submitted: 'warning',
    completed: 'success',
    cancelled: 'neutral',
    refunded: 'danger',
  },
  payout: { requested: 'warning', approved: 'info', paid: 'success', rejected: 'danger' },
  outbox: {
    pending: 'info',
    processing: 'info',
    done: 'success',
    skipped: 'neutral',
    dead: 'danger',
  },
  telegram: {
    pending: 'warning',
    active: 'success',
    inactive: 'neutral',
    expired: 'neutral',
    revoked: 'neutral',
    none: 'neutral',
  },
  user: { active: 'success', blocked: 'danger' },
} as const satisfies {
  offer: Record<OfferStatus, BadgeTone>
  application: Record<ApplicationStatus, BadgeTone>
  invite: Record<InviteStatus, BadgeTone>
  deal: Record<DealStatus, BadgeTone>
  payout: Record<PayoutStatus, BadgeTone>
  outbox: Record<OutboxStatus, BadgeTone>
  telegram: Record<BindingStatus | 'none', BadgeTone>
  user: Record<string, BadgeTone>
}

export type StatusKind = keyof typeof STATUS_TONES

export type StatusBadge = { label: string; tone: BadgeTone }

/**
 * An unknown status still renders in words, never as the raw value.
 */
export function statusBadge(i18n: I18n, kind: StatusKind, status: string): StatusBadge {
  const tones = STATUS_TONES[kind] as Record<string, BadgeTone>
  if (!Object.hasOwn(tones, status)) {
    return { label: i18n.t('app.none'), tone: 'neutral' }
  }
  return { label: i18n.t(`status.${kind}.${status}`), tone: tones[status] }
}
