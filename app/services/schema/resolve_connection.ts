import db from '@adonisjs/lucid/services/db'
import { SchemaCheckError } from '#exceptions/schema_check_error'

/**
 * The connection a schema command works on: the one named by --connection,
 * or the default one (DB_CONNECTION).
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
  return name
}
