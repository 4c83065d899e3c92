import db from '@adonisjs/lucid/services/db'
import { MigrationsCheck } from '#services/health/migrations_check'

/**
 * What a worker checks before it starts: the database answers and its
 * migrations are current. Returns one human sentence per problem.
 */
export async function workerPreflight(): Promise<string[]> {
  try {
    await db.rawQuery('select 1')
  } catch (error) {
    return [`database unreachable (${(error as Error).message})`]
  }
  const migrations = await new MigrationsCheck().run()
  if (migrations.status !== 'ok') {
    return [`migrations not current: ${migrations.message}; run "node ace db:deploy"`]
  }
  return []
}
