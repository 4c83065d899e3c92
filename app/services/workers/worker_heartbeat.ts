import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import workersConfig from '#config/workers'
import { toDbTimestamp } from '#services/database/timestamps'

export type WorkerName = 'outbox' | 'telegram'

/**
 * A worker's sign of life: a row in worker_heartbeats (for /api/health) and
 * a JSON health file in WORKER_HEALTH_DIR (for process supervisors), both
 * refreshed on every tick with the counters by outcome.
 */
export class WorkerHeartbeat {
  readonly startedAt = DateTime.now()
  readonly file: string
  readonly #partialFile: string

  constructor(
    readonly worker: WorkerName,
    readonly instance: string
  ) {
    this.file = join(workersConfig.healthDir, `${worker}-${process.pid}.json`)
    this.#partialFile = `${this.file}.tmp`
  }

  async beat(counters: Record<string, number>) {
    const now = DateTime.now()
    await this.#forgetReplacedOfSameWorker(now)
    await db
      .table('worker_heartbeats')
      .insert({
        instance: this.instance,
        worker: this.worker,
        pid: process.pid,
        started_at: toDbTimestamp(this.startedAt),
        last_tick_at: toDbTimestamp(now),
        counters: JSON.stringify(counters),
      })
      .knexQuery.onConflict('instance')
      .merge(['last_tick_at', 'counters'])
    await mkdir(workersConfig.healthDir, { recursive: true })
    // A supervisor reads the file whenever it likes: rewritten in place it
    // can be caught empty or half written, while a rename in the same
    // directory swaps the whole new file in at once.
    await writeFile(
      this.#partialFile,
      JSON.stringify({
        worker: this.worker,
        pid: process.pid,
        started_at: this.startedAt.toISO(),
        last_tick_at: now.toISO(),
        counters,
      })
    )
    await rename(this.#partialFile, this.file)
  }

  /**
   * A worker that stopped on purpose is not a stale one. The file goes
   * first: a supervisor reads it even when the database cannot be reached.
   * A beat that failed between its write and its rename (a full disk)
   * leaves the partial file, removed here too.
   */
  async stop() {
    await rm(this.file, { force: true })
    await rm(this.#partialFile, { force: true })
    await db.from('worker_heartbeats').where('instance', this.instance).delete()
  }

  /**
   * A worker that died without stopping (killed, out of memory, the
   * database gone at its stop) leaves its row, stale for good: every
   * process has a new instance name. Starting one of the same worker is the
   * operator's answer to that, so each beat removes the rows of its kind
   * that are stale and whose last tick came before this one started: the
   * workers it replaced, even one restarted before its row went stale. A
   * sibling that died while this one was already running is not replaced,
   * and keeps /api/health `degraded`.
   */
  async #forgetReplacedOfSameWorker(now: DateTime) {
    const staleBefore = now.minus({ milliseconds: workersConfig.staleAfterMs })
    await db
      .from('worker_heartbeats')
      .where('worker', this.worker)
      .whereNot('instance', this.instance)
      .where('last_tick_at', '<', toDbTimestamp(DateTime.min(staleBefore, this.startedAt)!))
      .delete()
  }
}

/**
 * Every worker's last heartbeat, and whether it is older than
 * WORKER_STALE_AFTER_MS.
 */
export async function workerHeartbeats() {
  const rows = await db.from('worker_heartbeats').orderBy('worker').orderBy('instance')
  const now = Date.now()
  return rows.map((row) => {
    const lastTickAt = new Date(row.last_tick_at)
    return {
      worker: row.worker as WorkerName,
      instance: row.instance as string,
      pid: Number(row.pid),
      lastTickAt: lastTickAt.toISOString(),
      stale: now - lastTickAt.getTime() > workersConfig.staleAfterMs,
    }
  })
}
