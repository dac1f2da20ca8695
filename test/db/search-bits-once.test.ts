/**
 * The venues' search bits are refreshed once per venue per transaction (migrations/0009),
 * not once per session row (0008: a 200-session scheme at a venue of thousands of sessions
 * ran into the statement timeout). The count is PostgreSQL's own: with track_functions on,
 * pg_stat_xact_user_functions counts the calls of venues_search_bits_refresh in the
 * transaction so far; SET CONSTRAINTS ALL IMMEDIATE runs the deferred refreshes before
 * commit so that they are counted.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/client.ts'
import { build, freshDb } from '../helper.ts'
import { insertOrganisation, insertScheme, insertSessions, insertVenue, updateScheme } from '../fixtures/sql.ts'
import { adminKey, call, createOrganisation, createVenue, schemeBody } from '../fixtures/api.ts'

// The view can also hold calls of earlier transactions not yet flushed to the statistics (an
// idle embedded database never flushes): what counts is the difference within the transaction.
const calls = async (tx: Db) => {
  const [r] = await tx.query<{ n: number }>(sql`SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_xact_user_functions WHERE funcname = 'venues_search_bits_refresh'`)
  return r.n
}
async function countRefreshes(db: Db, writes: (tx: Db) => Promise<void>): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query("SET LOCAL track_functions = 'pl'")
    const before = await calls(tx)
    await writes(tx)
    await tx.query('SET CONSTRAINTS ALL IMMEDIATE')
    return (await calls(tx)) - before
  })
}
const weekly = (venue_id: string, i: number) => ({ venue_id, frequency: 'weekly' as const, days: [['mon', 'tue', 'wed', 'thu', 'fri'][i % 5]], starts: '10:00', ends: '11:00' })

t.test('one refresh per venue per transaction, however many rows and statements touch it', async (t) => {
  const db = await freshDb(t)
  const org = await insertOrganisation(db)
  const hall = await insertVenue(db, { organisation_id: org.id, lat: 51.47, lon: -0.07 })
  const barn = await insertVenue(db, { organisation_id: org.id, lat: 51.48, lon: -0.08 })
  const s = await insertScheme(db, { organisation_id: org.id, name: 'Walks', categories: ['walking'] })

  const n = await countRefreshes(db, async (tx) => {
    // 200 statements of one row, one of 50 rows, an update of them all, a scheme and a venue change
    await insertSessions(tx, s.id, Array.from({ length: 200 }, (_, i) => weekly(hall.id, i)))
    await tx.query(sql`INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, starts, ends)
      SELECT ${s.id}::uuid, 200 + g, ${barn.id}::uuid, 'weekly', '{sat}', '09:00', '10:00' FROM generate_series(0, 49) g`)
    await tx.query(sql`UPDATE sessions SET ends = '11:30' WHERE scheme_id = ${s.id}::uuid`)
    await updateScheme(tx, s.id, { categories: sql`ARRAY['walking', 'gardening']::text[]` })
    await tx.query(sql`UPDATE venues SET accessibility = '{seating}' WHERE id = ${hall.id}::uuid`)
  })
  t.equal(n, 2, 'two venues touched by 254 row writes: two refreshes')

  const [bits] = await db.query<{ ok: boolean }>(sql`SELECT bool_and(search_bits & venue_search_bits(v) = venue_search_bits(v)) AS ok FROM venues v`)
  t.ok(bits.ok, 'and every venue\'s bits hold its codes')

  const again = await countRefreshes(db, async (tx) => {
    await updateScheme(tx, s.id, { description: 'Now with tea' })
    await tx.query(sql`UPDATE venues SET name = 'The Hall' WHERE id = ${hall.id}::uuid`)
  })
  t.equal(again, 0, 'a change that cannot move the bits refreshes nothing')
})

t.test('a 200-session scheme at a venue of thousands of sessions is created and edited', async (t) => {
  const { app, db } = await build(t)
  const admin = await adminKey(app)
  const { organisation, key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  await db.transaction(async (tx) => {
    await tx.query("SET LOCAL signpost.bulk_search_bits = 'on'")
    await tx.query(sql`WITH s AS (
        INSERT INTO schemes (organisation_id, name, description, categories, delivery, contact_phone)
        SELECT ${organisation.id}::uuid, 'Filler ' || g, 'A filler', '{walking}', '{in_person}', '020 7946 0958' FROM generate_series(1, 15) g RETURNING id)
      INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, starts, ends)
      SELECT s.id, p, ${venue.id}::uuid, 'weekly', '{mon}', '10:00', '11:00' FROM s CROSS JOIN generate_series(0, 199) p`)
  })
  const sessions = (starts: string) => Array.from({ length: 200 }, (_, i) => ({ ...weekly(venue.id, i), starts, ends: '23:00' }))
  const created = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ categories: ['gardening'], sessions: sessions('18:00') }) })
  t.equal(created.statusCode, 201, 'created')
  const id = created.json().id
  const patched = await call(app, 'PATCH', `/v1/schemes/${id}`, {
    key, body: { sessions: sessions('07:00') }, headers: { 'content-type': 'application/merge-patch+json', 'if-match': String(created.headers.etag) },
  })
  t.equal(patched.statusCode, 200, 'edited')
  t.equal(patched.json().sessions.length, 200)
  t.equal(patched.json().sessions[0].starts, '07:00')

  const found = await call(app, 'GET', `/v1/schemes?lat=51.4703&lon=-0.0686&radius_m=1000&category=gardening&period=morning`, { key: admin })
  t.equal(found.statusCode, 200)
  t.same(found.json().items.map((i: any) => i.id), [id], 'the search finds it by its new codes: the venue\'s bits were refreshed')
})
