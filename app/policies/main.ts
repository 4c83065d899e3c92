/**
 * Every policy, lazily imported, for the bouncer on each request.
 */
export const policies = {
  OfferPolicy: () => import('#policies/offer_policy'),
  ApplicationPolicy: () => import('#policies/application_policy'),
  InvitePolicy: () => import('#policies/invite_policy'),
  DealPolicy: () => import('#policies/deal_policy'),
  NotificationPolicy: () => import('#policies/notification_policy'),
  PayoutPolicy: () => import('#policies/payout_policy'),
  OutboxPolicy: () => import('#policies/outbox_policy'),
  UserPolicy: () => import('#policies/user_policy'),
}
