import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, extname, join } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import type {
  ConnectionConfig,
  PostgreConfig,
  QueryClientContract,
  SqliteConfig,
} from '@adonisjs/lucid/types/database'
import { SchemaCheckError, reasonOf } from '#exceptions/schema_check_error'
import { runPendingMigrations } from '#services/schema/run_pending_migrations'

type Scratch = { label: string; config: ConnectionConfig; drop: () => Promise<void> }

/**
 * Builds an empty database beside the live one (SQLite: a temporary file;
 * PostgreSQL: a database on the same server, so the user needs CREATEDB),
 * migrates it from zero with this codebase's migrations, hands it to
 * `inspect`, and drops it whatever happens.
 */
export async function withScratchDatabase<T>(
  liveConnectionName: string,
  inspect: (scratch: QueryClientContract) => Promise<T>
): Promise<T> {
  const liveConfig = db.manager.get(liveConnectionName)!.config
  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
  const scratch =
    liveConfig.client === 'pg'
      ? await createPostgresScratch(liveConnectionName, liveConfig as PostgreConfig, suffix)
      : createSqliteScratch(liveConfig as SqliteConfig, suffix)
  const connectionName = `${liveConnectionName}_scratch_${suffix}`
  db.manager.add(connectionName, scratch.config)

  let result: T | undefined
  let failure: unknown
  try {
    await runPendingMigrations(connectionName)
    result = await inspect(db.connection(connectionName))
  } catch (error) {
    failure = error
  }

  // A pool that fails to close leaves nothing the drop below cannot end.
  await db.manager.release(connectionName).catch(() => undefined)
  try {
    await scratch.drop()
  } catch (error) {
    const leftover = `could not drop the scratch database ${scratch.label} (${reasonOf(error)}); drop it by hand`
    failure =
      failure === undefined
        ? new SchemaCheckError(`Drift check done, but ${leftover}`)
        : new SchemaCheckError(`${reasonOf(failure)}; also ${leftover}`, { cause: failure })
  }

  if (failure !== undefined) {
    throw failure
  }
  return result as T
}

function createSqliteScratch(live: SqliteConfig, suffix: string): Scratch {
  const liveName = basename(live.connection.filename, extname(live.connection.filename))
  const filename = join(tmpdir(), `${liveName}_scratch_${suffix}.sqlite3`)
  return {
    label: filename,
    config: { ...live, connection: { ...live.connection, filename } },
    async drop() {
      for (const path of [filename, `${filename}-wal`, `${filename}-shm`, `${filename}-journal`]) {
        await rm(path, { force: true })
      }
    },
  }
}

async function createPostgresScratch(
  liveConnectionName: string,
  live: PostgreConfig,
  suffix: string
): Promise<Scratch> {
  const server = db.connection(liveConnectionName)
  const current = await server.rawQuery<{ rows: Array<{ name: string }> }>(
    'SELECT current_database() AS name'
  )
  // PostgreSQL cuts identifiers at 63 bytes; the suffix must survive.
  const prefix = current.rows[0].name.slice(0, 63 - '_scratch_'.length - suffix.length)
  const database = `${prefix}_scratch_${suffix}`
  const quoted = `"${database.replaceAll('"', '""')}"`

  try {
    await server.rawQuery(`CREATE DATABASE ${quoted}`)
  } catch (error) {
    throw SchemaCheckError.because(
      `Cannot create the scratch database ${database} (the database user needs CREATEDB)`,
      error
    )
  }

  return {
    label: database,
    config: { ...live, connection: connectionTo(live.connection, database) },
    async drop() {
      // FORCE ends any session a failed migration left behind.
      await server.rawQuery(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`)
    },
  }
}

/**
 * The live connection settings, pointed at another database on the same
 * server.
 */
function connectionTo(connection: PostgreConfig['connection'], database: string) {
  if (typeof connection === 'string') {
    return { connectionString: withDatabase(connection, database), database }
  }
  if (connection?.connectionString) {
    return {
      ...connection,
      connectionString: withDatabase(connection.connectionString, database),
      database,
    }
  }
  return { ...connection, database }
}

function withDatabase(connectionString: string, database: string) {
  const url = new URL(connectionString)
  url.pathname = `/${encodeURIComponent(database)}`
  return url.toString()
}
