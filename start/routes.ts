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
      .use([middleware.session(), throttleAuthByIp, throttleAuthByEmail])

    router
      .post('auth/logout', [AuthController, 'logout'])
      .use([middleware.apiSession(), middleware.auth({ allowBlocked: true })])

    router
      .group(() => {
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
      .use([middleware.apiSession(), middleware.auth(), middleware.bouncer()])
  })
  .prefix('/api')
  .use([middleware.sameOriginWrites(), middleware.initializeApiAuth()])

/*
| Web pages (issue 7): server-rendered, in Russian, CSRF-protected forms.
| The web controllers call the same services and policies as the API.
*/
const WebHomeController = () => import('#controllers/web/home_controller')
const WebSessionController = () => import('#controllers/web/session_controller')
const WebRegistrationController = () => import('#controllers/web/registration_controller')
const WebOffersController = () => import('#controllers/web/offers_controller')
const WebApplicationsController = () => import('#controllers/web/applications_controller')
const WebDealsController = () => import('#controllers/web/deals_controller')
const WebBalanceController = () => import('#controllers/web/balance_controller')
const WebAdminPayoutsController = () => import('#controllers/web/admin_payouts_controller')
const WebNotificationsController = () => import('#controllers/web/notifications_controller')
const WebInvitesController = () => import('#controllers/web/invites_controller')
const WebTelegramController = () => import('#controllers/web/telegram_controller')
const WebAdminOutboxController = () => import('#controllers/web/admin_outbox_controller')
const WebAdminUsersController = () => import('#controllers/web/admin_users_controller')

router
  .group(() => {
    router.get('/', [WebHomeController, 'show'])

    router
      .group(() => {
        router.get('/login', [WebSessionController, 'show'])
        router.get('/register', [WebRegistrationController, 'show'])
        router
          .post('/login', [WebSessionController, 'store'])
          .use([throttleAuthByIp, throttleAuthByEmail])
        router
          .post('/register', [WebRegistrationController, 'store'])
          .use([throttleAuthByIp, throttleAuthByEmail])
      })
      .use(middleware.guest())

    router
      .post('/logout', [WebSessionController, 'destroy'])
      .use(middleware.auth({ allowBlocked: true, sessionOnly: true }))

    router
      .group(() => {
        router.get('/offers', [WebOffersController, 'index'])
        router.get('/offers/new', [WebOffersController, 'create'])
        router.post('/offers', [WebOffersController, 'store'])
        router.get('/offers/:id', [WebOffersController, 'show'])
        router.get('/offers/:id/edit', [WebOffersController, 'edit'])
        router.post('/offers/:id', [WebOffersController, 'update'])
        router.post('/offers/:id/publish', [WebOffersController, 'publish'])
        router.post('/offers/:id/close', [WebOffersController, 'close'])

        router.post('/offers/:id/applications', [WebApplicationsController, 'store'])
        router.get('/applications', [WebApplicationsController, 'index'])
        router.post('/applications/:id/approve', [WebApplicationsController, 'approve'])
        router.post('/applications/:id/reject', [WebApplicationsController, 'reject'])
        router.post('/applications/:id/withdraw', [WebApplicationsController, 'withdraw'])

        router.post('/offers/:id/invites', [WebInvitesController, 'store'])
        router.get('/invites', [WebInvitesController, 'index'])
        router.post('/invites/:id/accept', [WebInvitesController, 'accept'])
        router.post('/invites/:id/decline', [WebInvitesController, 'decline'])
        router.post('/invites/:id/withdraw', [WebInvitesController, 'withdraw'])

        router.get('/deals', [WebDealsController, 'index'])
        router.get('/deals/:id', [WebDealsController, 'show'])
        router.post('/deals/:id/fund', [WebDealsController, 'fund'])
        router.post('/deals/:id/submit', [WebDealsController, 'submit'])
        router.post('/deals/:id/approve', [WebDealsController, 'approve'])
        router.post('/deals/:id/request-changes', [WebDealsController, 'requestChanges'])
        router.post('/deals/:id/cancel', [WebDealsController, 'cancel'])

        router.get('/balance', [WebBalanceController, 'show'])
        router.post('/payouts', [WebBalanceController, 'requestPayout'])

        router.get('/admin/payouts', [WebAdminPayoutsController, 'index'])
        router.post('/admin/payouts/:id/approve', [WebAdminPayoutsController, 'approve'])
        router.post('/admin/payouts/:id/reject', [WebAdminPayoutsController, 'reject'])
        router.post('/admin/payouts/:id/mark-paid', [WebAdminPayoutsController, 'markPaid'])

        router.get('/admin/outbox', [WebAdminOutboxController, 'index'])
        router.post('/admin/outbox/:id/retry', [WebAdminOutboxController, 'retry'])

        router.get('/admin/users', [WebAdminUsersController, 'index'])
        router.post('/admin/users/:id/block', [WebAdminUsersController, 'block'])
        router.post('/admin/users/:id/unblock', [WebAdminUsersController, 'unblock'])

        router.get('/telegram', [WebTelegramController, 'show'])
        router.post('/telegram', [WebTelegramController, 'store'])
        router.post('/telegram/disconnect', [WebTelegramController, 'destroy'])

        router.get('/notifications', [WebNotificationsController, 'index'])
        router.post('/notifications/read-all', [WebNotificationsController, 'readAll'])
        router.post('/notifications/:id/read', [WebNotificationsController, 'read'])
      })
      .where('id', router.matchers.number())
      .use([middleware.auth({ sessionOnly: true }), middleware.bouncer()])
  })
  .use([
    middleware.session(),
    middleware.initializeAuth(),
    middleware.locale(),
    middleware.shield(),
    middleware.shareViewer(),
  ])
