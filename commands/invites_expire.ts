import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { expireInvites } from '#services/invites/expire_invites'

/**
 * Marks pending invites past their expiry as expired. Safe to run twice at
 * once: each invite moves by a conditional update.
 */
export default class InvitesExpire extends BaseCommand {
  static commandName = 'invites:expire'
  static description = 'Expire pending invites whose time is up'

  static options: CommandOptions = { startApp: true }

  async run() {
    const expired = await expireInvites()
    this.logger.info(`expired ${expired} invite(s)`)
  }
}
