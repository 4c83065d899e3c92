/*
|--------------------------------------------------------------------------
| Event listeners
|--------------------------------------------------------------------------
|
| One structured line per request, and every query when DB_QUERY_LOG=1.
|
*/
import emitter from '@adonisjs/core/services/emitter'
import env from '#start/env'
import { logQuery } from '#services/database/query_log'

emitter.on('http:request_completed', ({ ctx, duration }) => {
  ctx.logger.info(
    {
      method: ctx.request.method(),
      route: ctx.route?.pattern ?? null,
      status: ctx.response.getStatus(),
      durationMs: Math.round((duration[0] * 1e3 + duration[1] / 1e6) * 100) / 100,
      userId: ctx.auth?.user?.id ?? null,
    },
    'request'
  )
})

if (env.get('DB_QUERY_LOG', false)) {
  emitter.on('db:query', logQuery)
}
