import type { HttpContext } from '@adonisjs/core/http'
import { healthChecks } from '#start/health'
import { ok, unavailable } from '#http/api_response'
import { workerHeartbeats } from '#services/workers/worker_heartbeat'

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
    const data = { status, checks: { ...checks, workers } }

    if (report.isHealthy) {
      return ok(ctx, data)
    }
    ctx.logger.warn({ checks }, 'health check failed')
    return unavailable(ctx, data)
  }
}
