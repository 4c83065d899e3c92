import db from '@adonisjs/lucid/services/db'
import { reasonOf } from '#exceptions/schema_check_error'
import { detectDrift } from '#services/schema/detect_drift'
import { missed, passed, type ReleaseItemResult } from '#services/release/release_item'

/**
 * Item 1: every migration applied and the live schema as the migrations
 * build it, on the configured connection (the one the server uses).
 */
export async function checkSchema(onStep: (step: string) => void): Promise<ReleaseItemResult> {
  const connection = db.primaryConnectionName
  let report: Awaited<ReturnType<typeof detectDrift>>
  try {
    report = await detectDrift(connection, onStep)
  } catch (error) {
    return missed(reasonOf(error))
  }
  const { differences, pendingMigrations } = report
  const evidence = `connection ${connection}: ${differences.length} difference(s), ${pendingMigrations.length} pending migration(s)`
  if (differences.length === 0 && pendingMigrations.length === 0) {
    return passed(evidence)
  }
  return missed(evidence, [
    ...pendingMigrations.map((name) => `pending migration ${name} (node ace db:deploy runs it)`),
    ...differences.map((difference) => `drift: ${difference.message}`),
  ])
}
