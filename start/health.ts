import db from '@adonisjs/lucid/services/db'
import { HealthChecks } from '@adonisjs/core/health'
import { DbCheck } from '@adonisjs/lucid/database'
import { MigrationsCheck } from '#services/health/migrations_check'

/**
 * Built per run so the database check always talks to the connection the
 * manager holds now, not one captured at boot.
 */
export function healthChecks() {
  return new HealthChecks().register([
    new DbCheck(db.connection()).as('database'),
    new MigrationsCheck(),
  ])
}
