import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { SchemaSnapshot } from '#services/schema/schema_snapshot'
import { readPostgresSchema } from '#services/schema/read_postgres_schema'
import { readSqliteSchema } from '#services/schema/read_sqlite_schema'

/**
 * The structure of the database behind a connection, in the same shape
 * whichever of the two supported dialects it speaks.
 */
export async function readSchema(client: QueryClientContract): Promise<SchemaSnapshot> {
  if (client.dialect.name === 'postgres') {
    return readPostgresSchema(client)
  }
  return readSqliteSchema(client)
}
