/*
|--------------------------------------------------------------------------
| The embedded demo stack
|--------------------------------------------------------------------------
|
| Runs the HTTP server and the outbox consumer side by side (the consumer
| turns events into notifications), and the Telegram worker too when a bot
| token is configured; prefixes their output, and stops them all when one
| exits or on Ctrl-C / SIGTERM. `npm run demo` calls it after
| `demo:prepare`.
|
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

/**
 * The token as the app will see it: the real environment wins over .env.
 */
function telegramTokenIsSet() {
  if (process.env.TELEGRAM_BOT_TOKEN) {
    return true
  }
  const dotEnv = new URL('../.env', import.meta.url)
  if (!existsSync(dotEnv)) {
    return false
  }
  return /^TELEGRAM_BOT_TOKEN=\S+/m.test(readFileSync(dotEnv, 'utf8'))
}

const processes: Array<{ name: string; args: string[] }> = [
  { name: 'server', args: ['ace', 'serve'] },
  { name: 'outbox', args: ['ace', 'outbox:consume'] },
]
if (telegramTokenIsSet()) {
  processes.push({ name: 'telegram', args: ['ace', 'telegram:work'] })
} else {
  process.stdout.write('TELEGRAM_BOT_TOKEN is not set: the Telegram worker does not run\n')
}

const children: ChildProcess[] = []
/**
 * The stack's exit status, set by what stopped it first: the exit code of
 * the process that ended on its own, or 0 for Ctrl-C / SIGTERM. The others
 * then stop cleanly on SIGTERM, and their 0 must not hide that failure.
 */
let exitStatus: number | null = null

function stopAll(cause: number) {
  if (exitStatus !== null) {
    return
  }
  exitStatus = cause
  for (const child of children) {
    child.kill('SIGTERM')
  }
  setTimeout(() => process.exit(cause), 5000).unref()
}

for (const { name, args } of processes) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => `[${name}] ${line}\n`)
      .join('')
  child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)))
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)))
  child.on('exit', (code) => {
    process.stdout.write(`[${name}] exited with ${code}\n`)
    stopAll(code ?? 1)
    if (children.every((other) => other.exitCode !== null || other.signalCode !== null)) {
      process.exit(exitStatus ?? 1)
    }
  })
  children.push(child)
}

process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))
