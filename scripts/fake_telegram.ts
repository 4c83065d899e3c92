/*
|--------------------------------------------------------------------------
| A fake Telegram Bot API for CI
|--------------------------------------------------------------------------
|
| Starts the tests' fake Bot API (tests/support/fake_telegram_api.ts) on a
| free loopback port for the bot token in TELEGRAM_BOT_TOKEN, prints its
| apiRoot as the one line of its output, and serves until SIGTERM/SIGINT.
| .ci/run points telegram:work at it with TELEGRAM_API_ROOT.
|
| Usage: TELEGRAM_BOT_TOKEN=123456:… node scripts/fake_telegram.ts
|
*/
import { startFakeTelegram } from '../tests/support/fake_telegram_api.ts'

const token = process.env.TELEGRAM_BOT_TOKEN
if (!token) {
  process.stderr.write('fake_telegram: set TELEGRAM_BOT_TOKEN to the token telegram:work uses\n')
  process.exit(2)
}

const fake = await startFakeTelegram({
  token,
  botUsername: process.env.TELEGRAM_BOT_USERNAME || undefined,
})
process.stdout.write(`${fake.apiRoot}\n`)

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0))
  })
}
