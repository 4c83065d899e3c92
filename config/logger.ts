import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { pino } from 'pino'
import { defineConfig } from '@adonisjs/core/logger'

/**
 * Keys pino blanks out wherever they appear, up to four levels deep.
 * Personal data and secrets must never reach a log line.
 */
const SENSITIVE_KEYS = [
  'password',
  'token',
  'accessToken',
  'authorization',
  'cookie',
  'set-cookie',
  'email',
  'phone',
  'secret',
  'displayName',
  'display_name',
  'first_name',
  'last_name',
  'username',
  'x-telegram-bot-api-secret-token',
  'x-payment-signature',
]
export const redactPaths = SENSITIVE_KEYS.flatMap((key) => [
  `["${key}"]`,
  `*["${key}"]`,
  `*.*["${key}"]`,
  `*.*.*["${key}"]`,
])

/**
 * JSON lines on stdout in production, pretty lines in development, and a
 * file in tests so that a test can read back what a request logged.
 */
async function destination() {
  if (app.inTest) {
    return pino.destination({ dest: app.tmpPath('logs/test.log'), sync: true, mkdir: true })
  }
  if (app.inProduction) {
    return pino.destination({ dest: 1, sync: false })
  }
  const { default: pinoPretty, isColorSupported } = await import('pino-pretty')
  return pinoPretty({
    sync: true,
    colorize: isColorSupported,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
  })
}

const loggerConfig = defineConfig({
  default: 'app',
  loggers: {
    app: {
      enabled: true,
      name: 'collab',
      level: env.get('LOG_LEVEL', 'info'),
      redact: { paths: redactPaths, censor: '[redacted]' },
      destination: await destination(),
    },
  },
})

export default loggerConfig

declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
