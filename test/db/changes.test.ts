import t from 'tap'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { DB_KIND, freshDb, freshDbUrl } from '../helper.ts'
import { changeItems } from '../../src/repositories/changes.ts'

// The change numbers' promise (migrations/0016_change_feed.sql): a reader never sees a number
// while a smaller one is still to be committed. Two transactions on their own connections are
// interleaved by hand: the one that began first commits last.

t.test('a transaction that commits later gets a larger number, whenever it began', { skip: DB_KIND !== 'postgres' && 'the embedded database has one connection: its transactions cannot interleave' }, async (t) => {
  const db = await freshDb(t)
  const url = freshDbUrl(db)!
  const early = new pg.Client({ connectionString: url })
  const late = new pg.Client({ connectionString: url })
  await early.connect()
  await late.connect()
  t.teardown(async () => { await early.end(); await late.end() })

  await early.query('BEGIN')
  const a = (await early.query("INSERT INTO organisations (name) VALUES ('Began first') RETURNING id")).rows[0].id
  await late.query('BEGIN')
  const b = (await late.query("INSERT INTO organisations (name) VALUES ('Began second') RETURNING id")).rows[0].id
  await late.query('COMMIT')

  const seen = await changeItems(db, 'organisation', null, 100)
  t.same(seen.map((r) => r.id), [b], 'a reader now sees the committed change only')
  const mark = seen[0].change_number

  await early.query('COMMIT')
  const after = await changeItems(db, 'organisation', mark, 100)
  t.same(after.map((r) => r.id), [a], 'the earlier-begun change comes after the reader\'s mark, not before it')
  t.ok(BigInt(after[0].change_number) > BigInt(mark))
  const [unnumbered] = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM changes WHERE change_number IS NULL`)
  t.equal(unnumbered.n, 0, 'every committed change has its number')
})

t.test('a rolled-back write leaves no change; one transaction\'s rows are numbered together', async (t) => {
  const db = await freshDb(t)
  await db.transaction(async (tx) => {
    await tx.query(sql`INSERT INTO organisations (name) VALUES ('One'), ('Two')`)
    await tx.query(sql`INSERT INTO organisations (name) VALUES ('Three')`)
  })
  await db.transaction(async (tx) => {
    await tx.query(sql`INSERT INTO organisations (name) VALUES ('Never')`)
    throw new Error('roll back')
  }).catch(() => {})
  const rows = await changeItems(db, 'organisation', null, 100)
  t.equal(rows.length, 3)
  const [names] = await db.query<{ n: string[] }>(sql`SELECT array_agg(name ORDER BY name) AS n FROM organisations`)
  t.same(names.n, ['One', 'Three', 'Two'])
  const numbers = rows.map((r) => Number(r.change_number))
  t.same(numbers, [...numbers].sort((x, y) => x - y), 'in change order')
})
