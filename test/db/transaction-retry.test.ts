/**
 * Two write transactions that deadlock (each holds a row the other wants: two schemes at
 * the same venues whose search bits both refresh) are not an error for the caller: the
 * server aborts one (40P01), and the client runs it again from the start.
 */
import t from 'tap'
import { DB_KIND, freshDb } from '../helper.ts'

t.test('a transaction aborted as a deadlock is run again, and both writers succeed', { skip: DB_KIND === 'pglite' && 'one connection: no concurrent writers' }, async (t) => {
  const db = await freshDb(t)
  await db.exec('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counters VALUES (1, 0), (2, 0)')
  let signalA!: () => void
  let signalB!: () => void
  const aHolds = new Promise<void>((r) => { signalA = r })
  const bHolds = new Promise<void>((r) => { signalB = r })
  let runs = 0
  // A takes row 1 then wants row 2; B takes row 2 then wants row 1
  const writer = (first: number, second: number, holds: () => void, other: Promise<void>) => db.transaction(async (tx) => {
    runs++
    await tx.query('UPDATE counters SET n = n + 1 WHERE id = $1', [first])
    holds()
    await other
    await tx.query('UPDATE counters SET n = n + 1 WHERE id = $1', [second])
  })
  const results = await Promise.allSettled([writer(1, 2, signalA, bHolds), writer(2, 1, signalB, aHolds)])
  t.same(results.map((r) => r.status), ['fulfilled', 'fulfilled'], 'both writers succeed')
  t.equal(runs, 3, 'one of them ran twice')
  const rows = await db.query<{ id: number; n: number }>('SELECT id, n FROM counters ORDER BY id')
  t.same(rows, [{ id: 1, n: 2 }, { id: 2, n: 2 }], 'each write counted once')
})
