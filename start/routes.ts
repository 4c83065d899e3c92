/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| Reads like the route table in DESIGN.md §3. Every /api route answers the
| envelope; the exception handler covers unknown paths and methods.
|
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { throttleAuthByEmail, throttleAuthByIp } from '#start/limiter'

const HealthController = () => import('#controllers/health_controller')
const AuthController = () => import('#controllers/auth_controller')
const MeController = () => import('#controllers/me_controller')
const OffersController = () => import('#controllers/offers_controller')
const ApplicationsController = () => import('#controllers/applications_controller')
const InvitesController = () => import('#controllers/invites_controller')
const DealsController = () => import('#controllers/deals_controller')
const NotificationsController = () => import('#controllers/notifications_controller')
const PayoutsController = () => import('#controllers/payouts_controller')
const LedgerController = () => import('#controllers/ledger_controller')
const AdminOutboxController = () => import('#controllers/admin_outbox_controller')
const TelegramBindingController = () => import('#controllers/telegram_binding_controller')
const PaymentWebhookController = () => import('#controllers/payment_webhook_controller')
const TelegramWebhookController = () => import('#controllers/telegram_webhook_controller')

router.get('/api/health', [HealthController, 'show'])
router.post('/api/payments/webhook', [PaymentWebhookController, 'handle'])
router.post('/api/telegram/webhook', [TelegramWebhookController, 'handle'])

router
  .group(() => {
    router
      .group(() => {
        router.post('register', [AuthController, 'register'])
        router.post('login', [AuthController, 'login'])
        router.post('tokens', [AuthController, 'createToken'])
      })
      .prefix('auth')
      .use([throttleAuthByIp, throttleAuthByEmail])

    router
      .group(() => {
        router.post('auth/logout', [AuthController, 'logout'])
        router.delete('auth/tokens/current', [AuthController, 'revokeCurrentToken'])
        router.get('me', [MeController, 'show'])

        router.get('offers', [OffersController, 'index'])
        router.post('offers', [OffersController, 'store'])
        router.get('offers/:id', [OffersController, 'show'])
        router.patch('offers/:id', [OffersController, 'update'])
        router.post('offers/:id/publish', [OffersController, 'publish'])
        router.post('offers/:id/close', [OffersController, 'close'])

        router.post('offers/:id/applications', [ApplicationsController, 'store'])
        router.get('applications', [ApplicationsController, 'index'])
        router.post('applications/:id/withdraw', [ApplicationsController, 'withdraw'])
        router.post('applications/:id/approve', [ApplicationsController, 'approve'])
        router.post('applications/:id/reject', [ApplicationsController, 'reject'])

        router.post('offers/:id/invites', [InvitesController, 'store'])
        router.get('invites', [InvitesController, 'index'])
        router.post('invites/:id/accept', [InvitesController, 'accept'])
        router.post('invites/:id/decline', [InvitesController, 'decline'])
        router.post('invites/:id/withdraw', [InvitesController, 'withdraw'])

        router.get('deals', [DealsController, 'index'])
        router.get('deals/:id', [DealsController, 'show'])
        router.post('deals/:id/fund', [DealsController, 'fund']).use(middleware.idempotent())
        router.post('deals/:id/submit', [DealsController, 'submit'])
        router.post('deals/:id/request-changes', [DealsController, 'requestChanges'])
        router.post('deals/:id/approve', [DealsController, 'approve']).use(middleware.idempotent())
        router.post('deals/:id/cancel', [DealsController, 'cancel']).use(middleware.idempotent())

        router.get('balance', [LedgerController, 'balance'])
        router.get('ledger', [LedgerController, 'entries'])
        router.post('payouts', [PayoutsController, 'store']).use(middleware.idempotent())
        router.get('payouts', [PayoutsController, 'index'])
        router.get('admin/payouts', [PayoutsController, 'adminIndex'])
        router
          .post('admin/payouts/:id/approve', [PayoutsController, 'approve'])
          .use(middleware.idempotent())
        router
          .post('admin/payouts/:id/reject', [PayoutsController, 'reject'])
          .use(middleware.idempotent())
        router
          .post('admin/payouts/:id/mark-paid', [PayoutsController, 'markPaid'])
          .use(middleware.idempotent())

        router.post('telegram/binding', [TelegramBindingController, 'store'])
        router.get('telegram/binding', [TelegramBindingController, 'show'])
        router.delete('telegram/binding', [TelegramBindingController, 'destroy'])

        router.get('admin/outbox', [AdminOutboxController, 'index'])
        router.post('admin/outbox/:id/retry', [AdminOutboxController, 'retry'])

        router.get('notifications', [NotificationsController, 'index'])
        router.get('notifications/unread-count', [NotificationsController, 'unreadCount'])
        router.post('notifications/:id/read', [NotificationsController, 'read'])
        router.post('notifications/read-all', [NotificationsController, 'readAll'])
      })
      .where('id', router.matchers.number())
      .use([middleware.auth(), middleware.bouncer()])
  })
  .prefix('/api')
  .use([middleware.session(), middleware.initializeAuth()])
