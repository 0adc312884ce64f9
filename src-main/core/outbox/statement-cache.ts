import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'

/** Anything that prepares SQL: the database itself, or the cache in front of it. */
export interface Preparer {
  prepare(sql: string): StatementSync
}

/**
 * The outbox's prepared statements, each compiled once per open database (issue 14: an enqueue
 * compiled its INSERT, its read-back and its lane check anew every time, ≈ 10 % of its CPU). Keyed by
 * the SQL text, which is always a fixed string of the outbox's own: values are bound parameters, never
 * spliced in, so the cache holds one statement per query the code has, not one per call.
 *
 * One cache per connection (`statementsOf`), shared by the context and the transaction helpers. A lazy
 * read goes through `iterate`, never `prepare(…).iterate()`: a second iteration of one statement resets
 * the first, and a cursor may still be open when a listener asks the same question again, so a
 * statement being iterated is not handed out twice (a nested reader gets a fresh one).
 */
export class StatementCache implements Preparer {
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, StatementSync>()
  readonly #iterating = new Set<StatementSync>()

  constructor(db: DatabaseSync) {
    this.#db = db
  }

  prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  /** Reads `sql`'s rows lazily; the caller may stop early (the cursor is released when it does). */
  *iterate(sql: string, ...params: SQLInputValue[]): Generator<Record<string, unknown>> {
    const cached = this.prepare(sql)
    const statement = this.#iterating.has(cached) ? this.#db.prepare(sql) : cached
    this.#iterating.add(statement)
    try {
      yield* statement.iterate(...params)
    } finally {
      this.#iterating.delete(statement)
    }
  }

  /** The SQL of every statement prepared so far (for the query-plan checks in the tests). */
  get sqlTexts(): readonly string[] {
    return [...this.#statements.keys()]
  }
}

const perConnection = new WeakMap<DatabaseSync, StatementCache>()

/** The connection's one statement cache (created on first use; it goes with the connection). */
export function statementsOf(db: DatabaseSync): StatementCache {
  let cache = perConnection.get(db)
  if (cache === undefined) {
    cache = new StatementCache(db)
    perConnection.set(db, cache)
  }
  return cache
}
