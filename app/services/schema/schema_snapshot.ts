/**
 * The structure of a database as the drift check sees it: the same shape for
 * SQLite and PostgreSQL, so two snapshots of one dialect compare field by
 * field. Expressions (defaults, predicates, checks) are kept as the database
 * prints them, normalised by `normalizeSql`.
 */
export type ColumnSchema = {
  name: string
  type: string
  nullable: boolean
  defaultValue: string | null
}

export type IndexSchema = {
  name: string
  columns: string[]
  unique: boolean
  /** The WHERE clause of a partial index. */
  predicate: string | null
  /** The access method (btree, gin, ...); null where the dialect has one kind. */
  method: string | null
}

export type ForeignKeySchema = {
  columns: string[]
  referencedTable: string
  referencedColumns: string[]
  onDelete: string
  onUpdate: string
}

export type CheckSchema = {
  /** Null for a CHECK written without a CONSTRAINT name. */
  name: string | null
  expression: string
}

/**
 * A trigger (the ledger's append-only guard on PostgreSQL): its definition,
 * the body of the function it runs (null on SQLite, where the body is in
 * the definition) and when it fires (`enabled`, `disabled`, `enabled on
 * replicas only`, `enabled always`).
 */
export type TriggerSchema = {
  name: string
  definition: string
  functionBody: string | null
  firing: string
}

export type TableSchema = {
  name: string
  columns: ColumnSchema[]
  primaryKey: string[]
  indexes: IndexSchema[]
  foreignKeys: ForeignKeySchema[]
  checks: CheckSchema[]
  triggers: TriggerSchema[]
}

export type SchemaSnapshot = {
  tables: TableSchema[]
}
