import type { HttpContext } from '@adonisjs/core/http'
import { healthChecks } from '#start/health'
import { ok, unavailable } from '#http/api_response'
import { workerHeartbeats } from '#services/workers/worker_heartbeat'

/**
 * What anyone may read of a failed database check. The driver's own
 * message names the database's host, port, user or file, which is not for
 * an unauthenticated caller; the operator finds it in the log line.
 */
const DATABASE_FAILED = 'Cannot reach the database'

/**
 * `ok` when the database answers and no migration is pending; `degraded`
 * (still 200) when a worker's heartbeat is stale; 503 otherwise.
 */
export default class HealthController {
  async show(ctx: HttpContext) {
    const report = await healthChecks().run()
    const checks = Object.fromEntries(
      report.checks.map((check) => [check.name, { status: check.status, message: check.message }])
    )
    const workers = report.isHealthy ? await workerHeartbeats() : []
    const status = !report.isHealthy ? 'error' : workers.some((w) => w.stale) ? 'degraded' : 'ok'

    if (report.isHealthy) {
      return ok(ctx, { status, checks: { ...checks, workers } })
    }
    ctx.logger.warn({ checks }, 'health check failed')
    const shown = { ...checks }
    if (shown.database?.status === 'error') {
      shown.database = { status: 'error', message: DATABASE_FAILED }
    }
    return unavailable(ctx, { status, checks: { ...shown, workers } })
  }
}
