import db from '@adonisjs/lucid/services/db'
import { SchemaCheckError } from '#exceptions/schema_check_error'

/**
 * The connection a schema command works on: the one named by --connection,
 * or the default one (DB_CONNECTION). A PostgreSQL connection needs its
 * DATABASE_URL: without one the driver would fall back to its own defaults
 * and migrate or compare whatever database answers on the local port.
 */
export function resolveConnection(name: string | undefined) {
  if (name === undefined) {
    return db.primaryConnectionName
  }
  const configured = Object.keys(db.config.connections)
  if (!configured.includes(name)) {
    const known = configured.join(', ')
    throw new SchemaCheckError(`Unknown connection "${name}" (configured: ${known})`)
  }
  const config = db.config.connections[name]
  const connection = config.connection as { connectionString?: string } | undefined
  if (config.client === 'pg' && !connection?.connectionString) {
    throw new SchemaCheckError(`Connection "${name}" needs DATABASE_URL (a postgres:// URL)`)
  }
  return name
}
