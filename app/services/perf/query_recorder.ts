import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import type { DbQueryEventNode } from '@adonisjs/lucid/types/database'
import type { Knex } from 'knex'

export type RecordedQuery = {
  sql: string
  bindings: unknown[]
  durationMs: number
  /** Rows read or changed, when the driver reports them. */
  rows: number | null
  failed: boolean
}

type QueryEvent = DbQueryEventNode & { __knexQueryUid?: string; error?: unknown }
type KnexQuery = { __knexQueryUid?: string }

/**
 * Records every query of the default connection while it runs: Lucid emits
 * `db:query` (with the duration) only for a connection whose `debug` is on,
 * so the recorder turns it on and puts it back when it stops. Row counts come
 * from knex's `query-response`, which fires just before Lucid's event.
 */
export class QueryRecorder {
  readonly queries: RecordedQuery[] = []
  readonly #connectionName = db.primaryConnectionName
  readonly #rowsByQuery = new Map<string, number | null>()
  #restoreDebug: (() => void) | null = null
  #knexClients: Knex[] = []

  start() {
    const connection = db.manager.get(this.#connectionName)!.connection!
    const config = connection.config
    const debugBefore = config.debug
    config.debug = true
    this.#restoreDebug = () => {
      config.debug = debugBefore
    }
    this.#knexClients = [...new Set([connection.client!, connection.readClient!])]
    for (const client of this.#knexClients) {
      client.on('query-response', this.#onResponse)
    }
    emitter.on('db:query', this.#onQuery)
  }

  async stop() {
    this.#restoreDebug?.()
    this.#restoreDebug = null
    for (const client of this.#knexClients) {
      client.off('query-response', this.#onResponse)
    }
    this.#knexClients = []
    // The emitter calls listeners asynchronously: let the last ones land.
    await new Promise((resolve) => setImmediate(resolve))
    emitter.off('db:query', this.#onQuery)
    this.#rowsByQuery.clear()
  }

  #onResponse = (response: unknown, query: KnexQuery) => {
    if (query.__knexQueryUid) {
      this.#rowsByQuery.set(query.__knexQueryUid, rowCount(response))
    }
  }

  #onQuery = (event: QueryEvent) => {
    if (event.connection !== this.#connectionName || !event.duration) {
      return
    }
    const uid = event.__knexQueryUid
    const rows = uid ? (this.#rowsByQuery.get(uid) ?? null) : null
    if (uid) {
      this.#rowsByQuery.delete(uid)
    }
    this.queries.push({
      sql: event.sql,
      bindings: event.bindings ?? [],
      durationMs: event.duration[0] * 1e3 + event.duration[1] / 1e6,
      rows,
      failed: event.error !== undefined,
    })
  }
}

/**
 * knex hands back the rows of a read (an array) and the number of rows a
 * write changed; other answers (DDL, raw driver results) say nothing.
 */
function rowCount(response: unknown): number | null {
  if (Array.isArray(response)) {
    return response.length
  }
  if (typeof response === 'number') {
    return response
  }
  if (response && typeof response === 'object' && 'rowCount' in response) {
    const count = (response as { rowCount: unknown }).rowCount
    return typeof count === 'number' ? count : null
  }
  return null
}
