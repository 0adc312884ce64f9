import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { statementsOf } from '../../../src-main/core/outbox/statement-cache'

function numbers(): DatabaseSync {
  const db = new DatabaseSync(':memory:')
  db.exec('CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3);')
  return db
}

describe('the per-connection statement cache', () => {
  it('prepares a statement once per connection, shared by every caller of that connection', () => {
    const db = numbers()
    expect(statementsOf(db)).toBe(statementsOf(db))
    expect(statementsOf(db).prepare('SELECT v FROM n')).toBe(statementsOf(db).prepare('SELECT v FROM n'))
    expect(statementsOf(numbers())).not.toBe(statementsOf(db))
  })

  it('gives a nested lazy read of the same query its own statement, so neither cursor is reset', () => {
    const db = numbers()
    const cache = statementsOf(db)
    const pairs: string[] = []
    for (const outer of cache.iterate('SELECT v FROM n ORDER BY v')) {
      for (const inner of cache.iterate('SELECT v FROM n ORDER BY v')) pairs.push(`${outer.v}${inner.v}`)
    }
    expect(pairs).toEqual(['11', '12', '13', '21', '22', '23', '31', '32', '33'])
  })

  it('releases a statement whose reader stopped early, so the next read reuses it from the start', () => {
    const db = numbers()
    const cache = statementsOf(db)
    for (const row of cache.iterate('SELECT v FROM n ORDER BY v')) if (row.v === 1) break
    expect([...cache.iterate('SELECT v FROM n ORDER BY v')].map((r) => r.v)).toEqual([1, 2, 3])
    expect(cache.sqlTexts).toEqual(['SELECT v FROM n ORDER BY v'])
  })
})
