import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { Secret } from '@adonisjs/core/helpers'
import { appUrl } from '#config/app'
import telegramConfig from '#config/telegram'
import { workerPreflight } from '#services/workers/preflight'
import { WorkerHeartbeat } from '#services/workers/worker_heartbeat'
import { installCollabHandlers } from '#services/telegram/collab_bot'
import { DeliveryPassFailed, deliverNotifications } from '#services/telegram/deliver_notifications'
import { deliveryWorkerName } from '#services/telegram/claim_telegram_deliveries'
import {
  configuredBotSettings,
  createTelegramBot,
  redactBotToken,
  tokenProblem,
} from '#services/telegram/telegram_bot'
import {
  emptyDeliveryCounters,
  type DeliveryCounters,
} from '#services/telegram/telegram_delivery_policy'
import { runUpdateIntake } from '#services/telegram/update_intake'

/** The heartbeat is written at most this often. */
const BEAT_EVERY_MS = 1000

/**
 * The Telegram worker: sends notifications to bound chats (paced, with the
 * delivery policy) and takes in the bot's updates, by webhook registration
 * or long polling. `--once` drains what is due and exits, with 1 when its
 * own queries failed and what was due may still be due; SIGTERM finishes
 * the messages in hand, gives back the rest and exits.
 */
export default class TelegramWork extends BaseCommand {
  static commandName = 'telegram:work'
  static description =
    'Send notifications to Telegram and take in bot updates (--once: drain and exit)'

  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Deliver what is due and take in pending updates, then exit' })
  declare once: boolean

  @flags.number({ description: 'Milliseconds to wait when nothing is due', default: 1000 })
  declare idleMs: number

  async run() {
    if (!Number.isInteger(this.idleMs) || this.idleMs < 0 || this.idleMs > 60_000) {
      this.logger.error(
        'telegram:work: --idle-ms must be a whole number of milliseconds from 0 to 60000'
      )
      this.exitCode = 1
      return
    }
    const problems = await this.#preflight()
    if (problems.length > 0) {
      this.logger.error(`telegram:work cannot start: ${problems.join('; ')}`)
      this.exitCode = 1
      return
    }
    if (!new URL(appUrl).hostname.includes('.')) {
      this.logger.warning(
        `APP_URL ${appUrl} is not a public address: Telegram refuses message buttons that link to it`
      )
    }
    const bot = createTelegramBot()
    installCollabHandlers(bot)

    const controller = new AbortController()
    const stop = () => controller.abort()
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)

    const worker = deliveryWorkerName()
    const heartbeat = new WorkerHeartbeat('telegram', worker)
    const counters = emptyDeliveryCounters()
    let lastBeatAt = 0
    const beat = async (current: DeliveryCounters) => {
      if (Date.now() - lastBeatAt >= BEAT_EVERY_MS) {
        lastBeatAt = Date.now()
        await heartbeat.beat(current)
      }
    }
    let intakeError: unknown = null
    let passFailure: DeliveryPassFailed | null = null
    try {
      const intake = runUpdateIntake(bot, { signal: controller.signal, once: this.once }).catch(
        (error) => {
          intakeError = error
          controller.abort()
        }
      )
      passFailure = await deliverNotifications({
        bot,
        signal: controller.signal,
        once: this.once,
        counters,
        worker,
        idleMs: this.idleMs,
        onTick: beat,
      }).then(
        () => null,
        (error) => {
          if (error instanceof DeliveryPassFailed) {
            return error
          }
          throw error
        }
      )
      await intake
    } finally {
      await heartbeat.stop()
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
    }
    this.logger.info(
      `telegram: ${Object.entries(counters)
        .map(([outcome, count]) => `${outcome}=${count}`)
        .join(' ')}`
    )
    if (passFailure) {
      this.logger.error(`telegram:work --once: ${passFailure.message}`)
      this.exitCode = 1
    }
    if (intakeError) {
      this.logger.error(
        `telegram:work stopped: update intake failed: ${redactBotToken(String((intakeError as Error).message ?? intakeError))}`
      )
      this.exitCode = 1
    }
  }

  async #preflight() {
    const problems: string[] = []
    const tokenIssue = tokenProblem(configuredBotSettings()?.token)
    if (tokenIssue) {
      problems.push(tokenIssue)
    }
    if (telegramConfig.webhookUrl) {
      problems.push(...webhookProblems(telegramConfig.webhookUrl, telegramConfig.webhookSecret))
    }
    if (problems.length > 0) {
      return problems
    }
    return workerPreflight()
  }
}

/**
 * What Telegram's setWebhook would refuse, every time: it takes only an
 * https URL and a secret of 1–256 characters from A–Z, a–z, 0–9, `_` and
 * `-`. Refused here, they would be retried forever while no update arrives.
 */
function webhookProblems(url: string, secret: Secret<string> | null) {
  const problems: string[] = []
  if (new URL(url).protocol !== 'https:') {
    problems.push('TELEGRAM_WEBHOOK_URL must be an https:// URL (Telegram refuses any other)')
  }
  const value = secret?.release()
  if (!value) {
    problems.push('TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not')
  } else if (!/^[A-Za-z0-9_-]{1,256}$/.test(value)) {
    problems.push(
      'TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, at most 256 of them (Telegram refuses any other)'
    )
  }
  return problems
}
