import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/**
 * Used only when LIMITER_STORE=redis.
 */
const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      ...redisUrlParts(env.get('REDIS_URL', 'redis://127.0.0.1:6379/0')),
      lazyConnect: true,
      // Reconnect for as long as it takes (a client that gives up stays
      // closed until the process restarts), while each command waiting for
      // the connection fails after two retries: a 503, not a hung request.
      retryStrategy(times) {
        return Math.min(times * 50, 2_000)
      },
      maxRetriesPerRequest: 2,
      connectTimeout: 2_000,
    },
  },
})

function redisUrlParts(url: string) {
  const parsed = new URL(url)
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number(parsed.pathname.slice(1) || 0),
  }
}

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
