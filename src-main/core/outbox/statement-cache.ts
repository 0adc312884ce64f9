import type { DatabaseSync, StatementSync } from 'node:sqlite'

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
 * Not for `iterate()`: a second iteration of one statement invalidates the first, and a lazily read
 * cursor may still be open when a listener asks the same question again. Those stay on `db.prepare`.
 */
export class StatementCache implements Preparer {
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, StatementSync>()

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

  /** The SQL of every statement prepared so far (for the query-plan checks in the tests). */
  get sqlTexts(): readonly string[] {
    return [...this.#statements.keys()]
  }
}
