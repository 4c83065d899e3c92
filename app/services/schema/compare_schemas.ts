import type {
  CheckSchema,
  ColumnSchema,
  ForeignKeySchema,
  IndexSchema,
  SchemaSnapshot,
  TableSchema,
  TriggerSchema,
} from '#services/schema/schema_snapshot'

/**
 * One way the live database differs from what the migrations build.
 * `missing`: the migrations make it, the live database lacks it;
 * `unexpected`: the live database has it, the migrations do not make it;
 * `changed`: both have it, in different forms.
 */
export type SchemaDifference = {
  kind: 'missing' | 'unexpected' | 'changed'
  table: string
  message: string
}

const LIVE = 'in live database'
const MISSING = `missing ${LIVE}`
const UNEXPECTED = `${LIVE}, not created by the migrations`

/**
 * Lists every difference between the live schema and the expected one (a
 * database migrated from zero), tables in the expected order first.
 */
export function compareSchemas(schemas: {
  live: SchemaSnapshot
  expected: SchemaSnapshot
}): SchemaDifference[] {
  const differences: SchemaDifference[] = []
  pair(schemas.expected.tables, schemas.live.tables, (table) => table.name, {
    missing: (table) => differences.push(missing(table.name, `${table.name}: table ${MISSING}`)),
    unexpected: (table) =>
      differences.push(unexpected(table.name, `${table.name}: table ${UNEXPECTED}`)),
    both: (expected, live) => differences.push(...compareTables(expected, live)),
  })
  return differences
}

function compareTables(expected: TableSchema, live: TableSchema): SchemaDifference[] {
  const table = expected.name
  const differences: SchemaDifference[] = []
  const report = (kind: SchemaDifference['kind'], message: string) =>
    differences.push({ kind, table, message })

  pair(expected.columns, live.columns, (column) => column.name, {
    missing: (column) => report('missing', `${table}.${column.name}: column ${MISSING}`),
    unexpected: (column) => report('unexpected', `${table}.${column.name}: column ${UNEXPECTED}`),
    both: (wanted, found) => {
      for (const message of compareColumns(wanted, found)) {
        report('changed', `${table}.${wanted.name}: ${message}`)
      }
    },
  })

  if (list(expected.primaryKey) !== list(live.primaryKey)) {
    report(
      'changed',
      `${table}: primary key is ${list(live.primaryKey)} ${LIVE}, migrations give ${list(expected.primaryKey)}`
    )
  }

  pair(expected.indexes, live.indexes, (index) => index.name, {
    missing: (index) => report('missing', `${table}: index ${index.name} ${MISSING}`),
    unexpected: (index) => report('unexpected', `${table}: index ${index.name} ${UNEXPECTED}`),
    both: (wanted, found) => {
      for (const message of compareIndexes(wanted, found)) {
        report('changed', `${table}: index ${wanted.name} ${message}`)
      }
    },
  })

  pair(expected.foreignKeys, live.foreignKeys, foreignKeyName, {
    missing: (key) => report('missing', `${table}: foreign key ${foreignKeyName(key)} ${MISSING}`),
    unexpected: (key) =>
      report('unexpected', `${table}: foreign key ${foreignKeyName(key)} ${UNEXPECTED}`),
    both: (wanted, found) => {
      for (const message of compareForeignKeys(wanted, found)) {
        report('changed', `${table}: foreign key ${foreignKeyName(wanted)} ${message}`)
      }
    },
  })

  pair(expected.checks, live.checks, checkName, {
    missing: (check) => report('missing', `${table}: check ${checkName(check)} ${MISSING}`),
    unexpected: (check) =>
      report('unexpected', `${table}: check ${checkName(check)} ${UNEXPECTED}`),
    both: (wanted, found) => {
      if (wanted.expression !== found.expression) {
        report(
          'changed',
          `${table}: check ${checkName(wanted)} is (${found.expression}) ${LIVE}, migrations give (${wanted.expression})`
        )
      }
    },
  })

  pair(expected.triggers, live.triggers, (trigger) => trigger.name, {
    missing: (trigger) => report('missing', `${table}: trigger ${trigger.name} ${MISSING}`),
    unexpected: (trigger) =>
      report('unexpected', `${table}: trigger ${trigger.name} ${UNEXPECTED}`),
    both: (wanted, found) => {
      for (const message of compareTriggers(wanted, found)) {
        report('changed', `${table}: trigger ${wanted.name} ${message}`)
      }
    },
  })

  return differences
}

function compareTriggers(expected: TriggerSchema, live: TriggerSchema) {
  const messages: string[] = []
  if (expected.definition !== live.definition) {
    messages.push(`is ${live.definition} ${LIVE}, migrations give ${expected.definition}`)
  }
  if (expected.functionBody !== live.functionBody) {
    messages.push(`runs a function whose body differs from the migrations' ${LIVE}`)
  }
  if (expected.firing !== live.firing) {
    messages.push(`is ${live.firing} ${LIVE}, migrations give ${expected.firing}`)
  }
  return messages
}

function compareColumns(expected: ColumnSchema, live: ColumnSchema) {
  const messages: string[] = []
  if (expected.type !== live.type) {
    messages.push(`type is ${live.type} ${LIVE}, migrations give ${expected.type}`)
  }
  if (expected.nullable !== live.nullable) {
    messages.push(`${nullability(live)} ${LIVE}, ${nullability(expected)} in migrations`)
  }
  if (expected.defaultValue !== live.defaultValue) {
    messages.push(
      `default is ${live.defaultValue ?? 'none'} ${LIVE}, migrations give ${expected.defaultValue ?? 'none'}`
    )
  }
  return messages
}

function compareIndexes(expected: IndexSchema, live: IndexSchema) {
  const messages: string[] = []
  if (list(expected.columns) !== list(live.columns)) {
    messages.push(
      `has columns ${list(live.columns)} ${LIVE}, migrations give ${list(expected.columns)}`
    )
  }
  if (expected.unique !== live.unique) {
    messages.push(`is ${uniqueness(live)} ${LIVE}, ${uniqueness(expected)} in migrations`)
  }
  if (expected.predicate !== live.predicate) {
    messages.push(
      `has predicate ${live.predicate ?? 'none'} ${LIVE}, migrations give ${expected.predicate ?? 'none'}`
    )
  }
  if (expected.method !== live.method) {
    messages.push(`uses ${live.method} ${LIVE}, migrations give ${expected.method}`)
  }
  return messages
}

function compareForeignKeys(expected: ForeignKeySchema, live: ForeignKeySchema) {
  const messages: string[] = []
  if (expected.onDelete !== live.onDelete) {
    messages.push(`has ON DELETE ${live.onDelete} ${LIVE}, migrations give ${expected.onDelete}`)
  }
  if (expected.onUpdate !== live.onUpdate) {
    messages.push(`has ON UPDATE ${live.onUpdate} ${LIVE}, migrations give ${expected.onUpdate}`)
  }
  return messages
}

/**
 * Matches two lists by key and hands each item to the right callback.
 */
function pair<T>(
  expected: T[],
  live: T[],
  key: (item: T) => string,
  on: {
    missing: (item: T) => void
    unexpected: (item: T) => void
    both: (wanted: T, found: T) => void
  }
) {
  const liveByKey = new Map(live.map((item) => [key(item), item]))
  const expectedKeys = new Set(expected.map(key))
  for (const item of expected) {
    const found = liveByKey.get(key(item))
    if (found === undefined) {
      on.missing(item)
    } else {
      on.both(item, found)
    }
  }
  for (const item of live) {
    if (!expectedKeys.has(key(item))) {
      on.unexpected(item)
    }
  }
}

function missing(table: string, message: string): SchemaDifference {
  return { kind: 'missing', table, message }
}

function unexpected(table: string, message: string): SchemaDifference {
  return { kind: 'unexpected', table, message }
}

function list(items: string[]) {
  return `(${items.join(', ')})`
}

function nullability(column: ColumnSchema) {
  return column.nullable ? 'nullable' : 'NOT NULL'
}

function uniqueness(index: IndexSchema) {
  return index.unique ? 'unique' : 'not unique'
}

function foreignKeyName(key: ForeignKeySchema) {
  return `${list(key.columns)} → ${key.referencedTable}${list(key.referencedColumns)}`
}

function checkName(check: CheckSchema) {
  return check.name ?? `(${check.expression})`
}
