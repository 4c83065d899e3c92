import { test } from '@japa/runner'
import { createServer, type Server, type Socket } from 'node:net'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { RedisConnection } from '@adonisjs/redis'
import redisConfig from '#config/redis'
import { toApiError } from '#exceptions/api_error'

/**
 * A TCP relay to the local Redis that can be cut and restored, standing
 * for a Redis that restarts or a network that drops for a while.
 */
class Relay {
  #server: Server | null = null
  #sockets = new Set<Socket>()
  port = 0

  async open() {
    const server = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1')
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket)
        socket.on('close', () => this.#sockets.delete(socket))
        socket.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve))
    const address = server.address()
    this.port = typeof address === 'object' && address ? address.port : this.port
    this.#server = server
  }

  async cut() {
    for (const socket of this.#sockets) {
      socket.destroy()
    }
    await new Promise((resolve) => this.#server?.close(resolve))
    this.#server = null
  }
}

test.group('Redis outage', () => {
  test('a command during the outage fails fast as SERVICE_UNAVAILABLE, and the client reconnects once Redis is back', async ({
    assert,
  }) => {
    const relay = new Relay()
    await relay.open()
    const connection = new RedisConnection('outage-test', {
      ...redisConfig.connections.main,
      host: '127.0.0.1',
      port: relay.port,
    })
    connection.on('error', () => {})
    try {
      await connection.set('outage-test', 'kept')

      await relay.cut()
      const started = Date.now()
      const failure = await connection.get('outage-test').catch((error: unknown) => error)
      assert.instanceOf(failure, Error)
      assert.isBelow(Date.now() - started, 5_000)
      assert.equal(toApiError(failure).code, 'SERVICE_UNAVAILABLE')
      // Longer than the ten retries (2.75 s) after which the client used to give up for good.
      await sleep(4_000)

      await relay.open()
      let value: string | null = null
      const deadline = Date.now() + 5_000
      while (value === null && Date.now() < deadline) {
        value = await connection.get('outage-test').catch(() => null)
        if (value === null) {
          await sleep(200)
        }
      }
      assert.equal(value, 'kept')
    } finally {
      await connection.disconnect()
      await relay.cut().catch(() => {})
    }
  }).timeout(20_000)
})
