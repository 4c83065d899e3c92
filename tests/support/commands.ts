import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import { DEFAULT_PASSWORD, makeUser } from '#tests/support/auth'

/**
 * `node ace …` as a real process: the exit status CI sees, and the command
 * line parsing that rejects bad flags before the command runs.
 */
export function runAceProcess(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ exitCode: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['ace', ...args], {
      cwd: app.makePath(),
      env: { ...process.env, NODE_ENV: 'test', ...env },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (exitCode) =>
      // eslint-disable-next-line no-control-regex
      resolve({ exitCode, output: output.replace(/\u001b\[[0-9;]*m/g, '') })
    )
  })
}

/**
 * A fresh admin, as the operator commands take its credentials.
 */
export async function adminFlags() {
  const admin = await makeUser('admin')
  return [`--admin-email=${admin.email}`, `--admin-password=${DEFAULT_PASSWORD}`]
}

/**
 * The outbox consumer, in this process, until the returned stop is called:
 * commands that wait for notifications need a consumer beside the server.
 */
export function consumeOutboxUntilStopped() {
  let running = true
  const loop = (async () => {
    while (running) {
      const { seen } = await consumeOutboxBatch(100)
      if (seen === 0) {
        await sleep(50)
      }
    }
  })()
  return async () => {
    running = false
    await loop
  }
}

/**
 * A loopback port nothing listens on, for "unreachable URL" cases.
 */
export async function unusedPort() {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}
