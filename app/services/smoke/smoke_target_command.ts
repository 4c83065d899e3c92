import { BaseCommand, flags } from '@adonisjs/core/ace'
import { Secret } from '@adonisjs/core/helpers'
import env from '#start/env'

/**
 * The flags of a command that runs the smoke flow against a running server
 * (`smoke`, `release:check`), and where the admin credentials default from.
 */
export abstract class SmokeTargetCommand extends BaseCommand {
  @flags.string({
    description: 'Where the server listens, e.g. http://127.0.0.1:3333',
    required: true,
  })
  declare baseUrl: string

  @flags.string({ description: 'Admin e-mail (default: SMOKE_ADMIN_EMAIL)' })
  declare adminEmail?: string

  @flags.string({ description: 'Admin password (default: SMOKE_ADMIN_PASSWORD)' })
  declare adminPassword?: string

  @flags.boolean({ description: 'Print one JSON document instead of the table' })
  declare json: boolean

  @flags.number({ description: 'Longest wait for each smoke notification, in ms', default: 15_000 })
  declare waitMs: number

  @flags.number({ description: 'Longest wait for each HTTP answer, in ms', default: 10_000 })
  declare timeoutMs: number

  /**
   * The flags that smoke options are resolved from, and the environment's
   * admin credentials to fall back on.
   */
  protected smokeFlags() {
    const environmentPassword = env.get('SMOKE_ADMIN_PASSWORD')
    const given = {
      baseUrl: this.baseUrl,
      adminEmail: this.adminEmail,
      adminPassword: this.adminPassword,
      waitMs: this.waitMs,
      timeoutMs: this.timeoutMs,
    }
    const environment = {
      adminEmail: env.get('SMOKE_ADMIN_EMAIL'),
      // Validated at boot it is a Secret; set later (as tests do) a string.
      adminPassword:
        environmentPassword instanceof Secret ? environmentPassword.release() : environmentPassword,
    }
    return { given, environment }
  }
}
