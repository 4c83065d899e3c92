/*
|--------------------------------------------------------------------------
| HTTP kernel
|--------------------------------------------------------------------------
|
| Server middleware run on every request, matched or not; router
| middleware on matched routes; named middleware where a route asks.
|
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/request_id_middleware'),
  () => import('#middleware/force_json_middleware'),
  () => import('#middleware/static_assets_middleware'),
])

router.use([
  () => import('#middleware/refuse_encoded_bodies_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('#middleware/refuse_unstorable_characters_middleware'),
])

/**
 * Sessions and auth are per route group, not global: /api/health must
 * answer even when the database holding the sessions is down.
 */
export const middleware = router.named({
  session: () => import('@adonisjs/session/session_middleware'),
  apiSession: () => import('#middleware/api_session_middleware'),
  initializeAuth: () => import('@adonisjs/auth/initialize_auth_middleware'),
  initializeApiAuth: () => import('#middleware/initialize_api_auth_middleware'),
  sameOriginWrites: () => import('#middleware/same_origin_writes_middleware'),
  auth: () => import('#middleware/authenticate_middleware'),
  bouncer: () => import('#middleware/initialize_bouncer_middleware'),
  idempotent: () => import('#middleware/idempotency_middleware'),
  locale: () => import('#middleware/detect_user_locale_middleware'),
  shield: () => import('@adonisjs/shield/shield_middleware'),
  guest: () => import('#middleware/guest_middleware'),
  shareViewer: () => import('#middleware/share_viewer_middleware'),
})
