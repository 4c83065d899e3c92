import type { HttpContext } from '@adonisjs/core/http'
import { healthChecks } from '#start/health'
import { ok, unavailable } from '#http/api_response'

/**
 * `workers` is reserved: it lists each worker's last heartbeat once the
 * workers exist.
 */
export default class HealthController {
  async show(ctx: HttpContext) {
    const report = await healthChecks().run()
    const checks = Object.fromEntries(
      report.checks.map((check) => [check.name, { status: check.status, message: check.message }])
    )
    const data = { status: report.isHealthy ? 'ok' : 'error', checks: { ...checks, workers: [] } }

    if (report.isHealthy) {
      return ok(ctx, data)
    }
    ctx.logger.warn({ checks }, 'health check failed')
    return unavailable(ctx, data)
  }
}
