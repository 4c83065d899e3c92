import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

const sqlitePath = app.makePath(env.get('SQLITE_PATH', 'tmp/db.sqlite3'))
const connectionName = env.get('DB_CONNECTION', 'sqlite')

/**
 * A fresh clone has no tmp/: the embedded database creates that folder of
 * its own. Any other folder must exist, so that a mistyped SQLITE_PATH fails
 * to open instead of quietly starting an empty database somewhere new.
 */
if (connectionName === 'sqlite' && dirname(sqlitePath) === app.tmpPath()) {
  mkdirSync(app.tmpPath(), { recursive: true })
}

const migrations = { naturalSort: true, paths: ['database/migrations'] }
const seeders = { paths: ['database/seeders'] }

/**
 * Both connections run the same migrations. Models declare their columns by
 * hand rather than extending a generated schema file, because that file would
 * differ with the connection it was generated from (see docs/DECISIONS.md).
 */
const dbConfig = defineConfig({
  connection: connectionName,
  prettyPrintDebugQueries: false,
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: {
        filename: sqlitePath,
      },
      useNullAsDefault: true,
      debug: env.get('DB_QUERY_LOG', false),
      schemaGeneration: { enabled: false },
      migrations,
      seeders,
      pool: {
        afterCreate(connection: any, done: (error: Error | null, connection: any) => void) {
          connection.pragma('journal_mode = WAL')
          connection.pragma('foreign_keys = ON')
          connection.pragma('busy_timeout = 5000')
          // knex opens a transaction with a deferred BEGIN, so one that reads
          // and then writes fails at once (SQLITE_BUSY_SNAPSHOT) when another
          // process, a worker, commits in between. BEGIN IMMEDIATE takes the
          // write lock first; the other writer then waits (busy_timeout).
          const prepare = connection.prepare.bind(connection)
          connection.prepare = (sql: string) => prepare(sql === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : sql)
          done(null, connection)
        },
      },
    },
    pg: {
      client: 'pg',
      connection: {
        connectionString: env.get('DATABASE_URL'),
      },
      debug: env.get('DB_QUERY_LOG', false),
      schemaGeneration: { enabled: false },
      migrations,
      seeders,
      searchPath: ['public'],
      pool: { min: 0, max: 10 },
    },
  },
})

export default dbConfig
