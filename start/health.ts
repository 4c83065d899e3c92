import db from '@adonisjs/lucid/services/db'
import { HealthChecks } from '@adonisjs/core/health'
import { DbCheck } from '@adonisjs/lucid/database'
import { MigrationsCheck } from '#services/health/migrations_check'

export const healthChecks = new HealthChecks().register([
  new DbCheck(db.connection()).as('database'),
  new MigrationsCheck(),
])
