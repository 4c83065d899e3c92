import { access, constants, mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { availableParallelism, cpus, totalmem } from 'node:os'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import { consumeOutboxInBackground } from '#services/perf/background_outbox'
import { explainQuery } from '#services/perf/explain_query'
import { startInProcessServer } from '#services/perf/in_process_server'
import type { PerfCaptureOptions } from '#services/perf/perf_options'
import { PerfProblem } from '#services/perf/perf_problem'
import { renderReport, type PerfCapture } from '#services/perf/perf_report'
import { groupQueries } from '#services/perf/query_groups'
import { QueryRecorder } from '#services/perf/query_recorder'
import { runWorkload, type WorkloadSummary } from '#services/perf/run_workload'
import { seedVolume, volumeAt, type SeededCast } from '#services/perf/seed_volume'

export type PerfCaptureResult = { path: string; capture: PerfCapture }

/**
 * perf:capture (DESIGN.md §7): seed, run the workload with every query
 * recorded, group and rank them, explain the top ones, write the report.
 * Problems the operator can fix are thrown as PerfProblem before any row
 * is written.
 */
export async function runPerfCapture(
  options: PerfCaptureOptions,
  command: string,
  progress: (line: string) => void
): Promise<PerfCaptureResult> {
  const startedAt = new Date()
  const database = await describeDatabase()
  const path = app.makePath(options.out)
  await ensureWritable(path)

  const volume = volumeAt(options.scale)
  progress(`seeding --scale ${options.scale}…`)
  const cast = await seedVolume(volume)
  const rowsAtStart = await countRows()

  progress('running the workload with every query recorded…')
  const recorder = new QueryRecorder()
  const workload = await recordWorkload(recorder, cast, options.rounds)

  const groups = groupQueries(recorder.queries)
  progress(`explaining the top ${Math.min(options.explain, groups.length)} groups…`)
  const plans = []
  for (const [index, group] of groups.slice(0, options.explain).entries()) {
    plans.push({ rank: index + 1, group, plan: await explainQuery(group.slowest) })
  }

  const capture: PerfCapture = {
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    command,
    machine: machine(),
    database,
    scale: options.scale,
    rounds: options.rounds,
    volume,
    rowsAtStart,
    workload,
    queries: recorder.queries.length,
    groups,
    plans,
  }
  try {
    await writeFile(path, renderReport(capture))
  } catch (error) {
    throw new PerfProblem(`cannot write the report to ${path}: ${(error as Error).message}`)
  }
  return { path, capture }
}

async function recordWorkload(
  recorder: QueryRecorder,
  cast: SeededCast,
  rounds: number
): Promise<WorkloadSummary> {
  const server = await startInProcessServer()
  const stopConsumer = consumeOutboxInBackground()
  // One log line per request would bury the command's own output.
  const levelBefore = logger.level
  if (logger.levels.values[levelBefore] < logger.levels.values.warn) {
    logger.level = 'warn'
  }
  recorder.start()
  try {
    return await runWorkload(server.baseUrl, cast, rounds)
  } finally {
    await recorder.stop()
    logger.level = levelBefore
    await stopConsumer()
    await server.close()
  }
}

const COUNTED_TABLES = [
  'users',
  'offers',
  'applications',
  'invites',
  'deals',
  'notifications',
  'outbox_events',
  'ledger_entries',
]

/**
 * What the workload ran against: the seed plus whatever the database held.
 */
async function countRows() {
  const counts: Record<string, number> = {}
  for (const table of COUNTED_TABLES) {
    const row = await db.from(table).count('* as total').first()
    counts[table] = Number(row.total)
  }
  return counts
}

/**
 * The connection, its server version, and proof that it answers.
 */
async function describeDatabase() {
  const connection = db.connection()
  try {
    if (connection.dialect.name === 'postgres') {
      const result = await connection.rawQuery('SHOW server_version')
      return `PostgreSQL ${result.rows[0].server_version} (connection ${connection.connectionName})`
    }
    const rows = await connection.rawQuery('SELECT sqlite_version() AS version')
    return `SQLite ${rows[0].version} (connection ${connection.connectionName})`
  } catch (error) {
    throw new PerfProblem(
      `cannot reach the database (connection ${connection.connectionName}): ${(error as Error).message}`
    )
  }
}

async function ensureWritable(path: string) {
  try {
    await mkdir(dirname(path), { recursive: true })
    await access(dirname(path), constants.W_OK)
  } catch (error) {
    throw new PerfProblem(`cannot write the report to ${path}: ${(error as Error).message}`)
  }
}

function machine() {
  return (
    `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.versions.node}`
  )
}
