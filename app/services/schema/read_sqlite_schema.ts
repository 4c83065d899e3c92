import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type {
  ForeignKeySchema,
  IndexSchema,
  SchemaSnapshot,
  TableSchema,
} from '#services/schema/schema_snapshot'
import { checksOfCreateTable, partsOfCreateIndex } from '#services/schema/sqlite_ddl'
import { normalizeSql } from '#services/schema/sql_tokens'

type MasterRow = { name: string; sql: string | null }
type ColumnRow = {
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
}
type IndexRow = { name: string; unique: number; origin: string; partial: number }
type IndexColumnRow = { name: string | null; key: number; seqno: number }
type ForeignKeyRow = {
  id: number
  seq: number
  table: string
  from: string
  to: string | null
  on_update: string
  on_delete: string
}

/**
 * Reads tables, columns, indexes, foreign keys and checks from SQLite's
 * pragmas and, where only the DDL text knows (checks, partial predicates,
 * expression indexes), from sqlite_master.
 */
export async function readSqliteSchema(client: QueryClientContract): Promise<SchemaSnapshot> {
  const tableRows: MasterRow[] = await client.rawQuery(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
  )
  const tables: TableSchema[] = []
  for (const row of tableRows) {
    tables.push(await readTable(client, row))
  }
  return { tables }
}

async function readTable(client: QueryClientContract, table: MasterRow): Promise<TableSchema> {
  const columnRows: ColumnRow[] = await client.rawQuery(
    'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid',
    [table.name]
  )
  const primaryKey = columnRows
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name)

  return {
    name: table.name,
    columns: columnRows.map((column) => ({
      name: column.name,
      type: column.type.toLowerCase(),
      nullable: column.notnull === 0,
      defaultValue: column.dflt_value === null ? null : normalizeSql(column.dflt_value),
    })),
    primaryKey,
    indexes: await readIndexes(client, table.name),
    foreignKeys: await readForeignKeys(client, table.name),
    checks: table.sql ? checksOfCreateTable(table.sql) : [],
    triggers: await readTriggers(client, table.name),
  }
}

async function readTriggers(client: QueryClientContract, tableName: string) {
  const rows: MasterRow[] = await client.rawQuery(
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name",
    [tableName]
  )
  return rows.map((row) => ({
    name: row.name,
    definition: normalizeSql(row.sql ?? ''),
    functionBody: null,
    firing: 'enabled',
  }))
}

async function readIndexes(client: QueryClientContract, tableName: string) {
  const indexRows: IndexRow[] = await client.rawQuery(
    'SELECT name, "unique", origin, partial FROM pragma_index_list(?)',
    [tableName]
  )
  const indexes: IndexSchema[] = []
  for (const row of indexRows) {
    // The primary key is compared as the table's primary key.
    if (row.origin === 'pk') continue
    indexes.push(await readIndex(client, row))
  }
  return indexes.sort((a, b) => a.name.localeCompare(b.name))
}

async function readIndex(client: QueryClientContract, row: IndexRow): Promise<IndexSchema> {
  const masterRows: MasterRow[] = await client.rawQuery(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name = ?",
    [row.name]
  )
  const sql = masterRows[0]?.sql ?? null
  if (sql) {
    const parts = partsOfCreateIndex(sql)
    return { name: row.name, unique: row.unique === 1, method: null, ...parts }
  }
  // No DDL: an index SQLite made for a UNIQUE clause inside CREATE TABLE. Its
  // name is a counter, so it is known by its columns instead.
  const columnRows: IndexColumnRow[] = await client.rawQuery(
    'SELECT name, "key", seqno FROM pragma_index_xinfo(?) ORDER BY seqno',
    [row.name]
  )
  const columns = columnRows
    .filter((column) => column.key === 1)
    .map((column) => column.name ?? '?')
  return {
    name: `unique (${columns.join(', ')})`,
    columns,
    unique: row.unique === 1,
    predicate: null,
    method: null,
  }
}

async function readForeignKeys(client: QueryClientContract, tableName: string) {
  const rows: ForeignKeyRow[] = await client.rawQuery(
    'SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq',
    [tableName]
  )
  const byId = new Map<number, ForeignKeySchema>()
  for (const row of rows) {
    const foreignKey = byId.get(row.id) ?? {
      columns: [],
      referencedTable: row.table,
      referencedColumns: [],
      onDelete: row.on_delete.toUpperCase(),
      onUpdate: row.on_update.toUpperCase(),
    }
    foreignKey.columns.push(row.from)
    foreignKey.referencedColumns.push(row.to ?? '(primary key)')
    byId.set(row.id, foreignKey)
  }
  return [...byId.values()]
}
