import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { SchemaCheckError } from '#exceptions/schema_check_error'
import { compareSchemas, type SchemaDifference } from '#services/schema/compare_schemas'
import { readSchema } from '#services/schema/read_schema'
import type { SchemaSnapshot } from '#services/schema/schema_snapshot'
import { withScratchDatabase } from '#services/schema/scratch_database'

export type DriftReport = {
  differences: SchemaDifference[]
  /** Migrations the code has and the live database has not run (db:deploy runs them). */
  pendingMigrations: string[]
}

/**
 * Compares the live schema of a connection with the schema this codebase's
 * migrations build from zero in a scratch database. Reads the live database
 * only. `onStep` hears each stage, for progress output.
 */
export async function detectDrift(
  connectionName: string,
  onStep: (step: string) => void = () => {}
): Promise<DriftReport> {
  onStep(`Reading the live schema (connection ${connectionName})`)
  let live: SchemaSnapshot
  let applied: string[]
  try {
    const client = db.connection(connectionName)
    live = await readSchema(client)
    applied = await appliedMigrations(client, live, connectionName)
  } catch (error) {
    throw SchemaCheckError.because(
      `Cannot read the live schema (connection ${connectionName})`,
      error
    )
  }

  onStep('Migrating a scratch database from zero')
  return withScratchDatabase(connectionName, async (scratch) => {
    onStep('Comparing the live schema with the scratch one')
    const expected = await readSchema(scratch)
    const all = await appliedMigrations(scratch, expected, connectionName)
    return {
      differences: compareSchemas({ live, expected }),
      pendingMigrations: all.filter((name) => !applied.includes(name)),
    }
  })
}

/**
 * Names recorded in the migrations table; its other columns (batch, time)
 * differ between any two databases and say nothing about their structure.
 */
async function appliedMigrations(
  client: QueryClientContract,
  schema: SchemaSnapshot,
  connectionName: string
) {
  const tableName =
    db.getRawConnection(connectionName)?.config.migrations?.tableName ?? 'adonis_schema'
  if (!schema.tables.some((table) => table.name === tableName)) {
    return []
  }
  const rows: Array<{ name: string }> = await client.from(tableName).select('name').orderBy('id')
  return rows.map((row) => row.name)
}
