import db from '@adonisjs/lucid/services/db'

/**
 * Hand-made schema changes on the test database, as an operator might make
 * them, for the drift checks to find. SQLite cannot alter a column in place,
 * so there the table is rebuilt from its rewritten CREATE statement (SQLite's
 * documented procedure). Tests undo them with `rebuildDatabase()`.
 */
function isPostgres() {
  return db.connection().dialect.name === 'postgres'
}

export async function addColumn(table: string, column: string) {
  await db.connection().rawQuery(`ALTER TABLE "${table}" ADD COLUMN "${column}" integer`)
}

export async function dropIndex(name: string) {
  await db.connection().rawQuery(`DROP INDEX "${name}"`)
}

export async function makeNotNull(table: string, column: string) {
  if (isPostgres()) {
    await db.connection().rawQuery(`ALTER TABLE "${table}" ALTER COLUMN "${column}" SET NOT NULL`)
    return
  }
  await rebuildSqliteTable(table, (sql) =>
    rewrite(sql, new RegExp(`(\`${column}\` [\\w()]+) null`), '$1 not null')
  )
}

/**
 * Drops a column with the checks that mention it, as PostgreSQL's DROP
 * COLUMN does by itself.
 */
export async function dropColumn(table: string, column: string) {
  if (isPostgres()) {
    await db.connection().rawQuery(`ALTER TABLE "${table}" DROP COLUMN "${column}"`)
    return
  }
  await rebuildSqliteTable(table, (sql) => {
    const withoutColumn = rewrite(sql, new RegExp(`, \`${column}\` [^,]*`), '')
    return rewrite(
      withoutColumn,
      new RegExp(`, constraint \\w+ check \\([^)]*\\b${column}\\b[^)]*\\)`, 'g'),
      ''
    )
  })
}

export async function replaceCheck(table: string, name: string, expression: string) {
  if (isPostgres()) {
    await db
      .connection()
      .rawQuery(
        `ALTER TABLE "${table}" DROP CONSTRAINT "${name}", ADD CONSTRAINT "${name}" CHECK (${expression})`
      )
    return
  }
  await rebuildSqliteTable(table, (sql) =>
    rewrite(
      sql,
      new RegExp(`constraint ${name} check \\([^)]*\\)`),
      `constraint ${name} check (${expression})`
    )
  )
}

function rewrite(sql: string, pattern: RegExp, replacement: string) {
  const rewritten = sql.replace(pattern, replacement)
  if (rewritten === sql) {
    throw new Error(`the table definition has nothing matching ${pattern}: ${sql}`)
  }
  return rewritten
}

async function rebuildSqliteTable(table: string, rewriteCreate: (sql: string) => string) {
  const connection = db.connection()
  const [definition] = await connection.rawQuery(
    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
    [table]
  )
  const indexes: Array<{ sql: string }> = await connection.rawQuery(
    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
    [table]
  )
  const staging = `${table}_rebuild`
  const createStaging = rewriteCreate(definition.sql).replace(
    /^CREATE TABLE\s+(`[^`]+`|"[^"]+"|\w+)/i,
    `CREATE TABLE "${staging}"`
  )

  await connection.rawQuery('PRAGMA foreign_keys = OFF')
  try {
    await connection.rawQuery(createStaging)
    const columns: Array<{ name: string }> = await connection.rawQuery(
      'SELECT name FROM pragma_table_info(?)',
      [staging]
    )
    const list = columns.map((column) => `"${column.name}"`).join(', ')
    await connection.rawQuery(`INSERT INTO "${staging}" (${list}) SELECT ${list} FROM "${table}"`)
    await connection.rawQuery(`DROP TABLE "${table}"`)
    await connection.rawQuery(`ALTER TABLE "${staging}" RENAME TO "${table}"`)
    for (const index of indexes) {
      await connection.rawQuery(index.sql)
    }
  } finally {
    await connection.rawQuery('PRAGMA foreign_keys = ON')
  }
}
