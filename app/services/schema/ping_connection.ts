import db from '@adonisjs/lucid/services/db'
import { SchemaCheckError } from '#exceptions/schema_check_error'

/**
 * Fails with one line when the database behind the connection cannot be
 * reached, before any slower work starts.
 */
export async function pingConnection(connectionName: string) {
  try {
    await db.connection(connectionName).rawQuery('SELECT 1')
  } catch (error) {
    throw SchemaCheckError.because(
      `Cannot reach the database (connection ${connectionName})`,
      error
    )
  }
}
