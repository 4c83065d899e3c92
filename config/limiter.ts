import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'

/**
 * Memory by default (one process); `database` or `redis` when several
 * processes must share the counters.
 */
const limiterConfig = defineConfig({
  default: env.get('LIMITER_STORE', 'memory'),
  stores: {
    memory: stores.memory({}),
    database: stores.database({ tableName: 'rate_limits' }),
    redis: stores.redis({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
