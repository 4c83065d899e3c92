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

router.get('/api/health', [HealthController, 'show'])

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
      })
      .use(middleware.auth())
  })
  .prefix('/api')
  .use([middleware.session(), middleware.initializeAuth()])
