import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { errors as vineErrors } from '@vinejs/vine'
import env from '#start/env'
import { createUserValidator } from '#validators/user'
import { createUser } from '#services/users/create_user'
import { DomainError } from '#exceptions/domain_error'

/**
 * The only way to make an admin. Also handy for brands and creators.
 */
export default class UserCreate extends BaseCommand {
  static commandName = 'user:create'
  static description = 'Create a user of any role, admin included'

  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'creator, brand or admin', required: true })
  declare role: string

  @flags.string({ description: 'E-mail address (login)', required: true })
  declare email: string

  @flags.string({
    description: 'Password, 8 to 128 characters (or USER_PASSWORD, which ps does not show)',
  })
  declare password?: string

  @flags.string({ description: 'Display name', required: true })
  declare name: string

  async run() {
    const password = this.password ?? env.get('USER_PASSWORD')?.release()
    if (!password) {
      this.logger.error('password missing: pass --password or set USER_PASSWORD')
      this.exitCode = 1
      return
    }
    try {
      const input = await createUserValidator.validate({
        role: this.role,
        email: this.email,
        password,
        displayName: this.name,
      })
      const user = await createUser(input)
      this.logger.success(`Created ${user.role} #${user.id}`)
    } catch (error) {
      this.exitCode = 1
      if (error instanceof vineErrors.E_VALIDATION_ERROR) {
        const fields = error.messages as Array<{ field: string; message: string }>
        this.logger.error(fields.map((f) => `${f.field}: ${f.message}`).join('; '))
        return
      }
      if (error instanceof DomainError) {
        this.logger.error(error.message)
        return
      }
      throw error
    }
  }
}
