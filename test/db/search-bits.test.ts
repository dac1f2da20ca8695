/**
 * The venues' search bits (migrations/0008): one bit per code, and kept by triggers so that
 * a venue's bits always hold every code its live schemes and sessions there could match.
 * The place search skips a venue whose bits lack an asked code, so a missing bit would lose
 * a result: each change that can add or remove a code is made here, then the bits are
 * compared with the ones recomputed from scratch (writes only add codes; the migration's
 * recompute makes them exact again).
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/client.ts'
import { codes } from '../../src/domain/vocabularies.ts'
import { DB_KIND, freshDb, freshDbUrl } from '../helper.ts'
import { insertOrganisation, insertScheme, insertSessions, insertVenue, replaceSessions, updateScheme } from '../fixtures/sql.ts'

const EXACT = sql`SELECT v.id, v.search_bits::text AS bits, venue_search_bits(v)::text AS exact FROM venues v ORDER BY v.id`

async function bitsOf(db: Db, venueId: string): Promise<bigint> {
  const [r] = await db.query<{ bits: string }>(sql`SELECT search_bits::text AS bits FROM venues WHERE id = ${venueId}::uuid`)
  return BigInt(r.bits)
}
async function code(db: Db, kind: string, c: string): Promise<bigint> {
  const [r] = await db.query<{ b: string }>(sql`SELECT search_code_bits(${kind}, ARRAY[${c}]::text[])::text AS b`)
  return BigInt(r.b)
}
const has = (bits: bigint, bit: bigint) => (bits & bit) === bit

t.test('every code of the vocabularies that search filters on has a bit; only the categories share them, two codes at most', async (t) => {
  const db = await freshDb(t)
  const seen = new Map<bigint, string>()
  const kinds: Array<[string, readonly string[]]> = [
    ['categories', codes('categories')], ['accessibility', codes('accessibility')], ['days', codes('days')],
    ['period', codes('period')], ['cost', ['free', 'paid']], ['live', ['live']],
  ]
  for (const [kind, list] of kinds) {
    for (const c of list) {
      const b = await code(db, kind, c)
      const single = b !== 0n && (BigInt.asUintN(64, b) & (BigInt.asUintN(64, b) - 1n)) === 0n
      t.ok(single, `${kind} ${c} has one bit`)
      const other = seen.get(b)
      if (kind === 'categories') t.ok(!other || (other.startsWith('categories ') && !other.includes('|')), `${kind} ${c}: shares only with one category`)
      else t.notOk(other, `${kind} ${c}: not shared with ${other}`)
      seen.set(b, other ? `${other}|${c}` : `${kind} ${c}`)
    }
  }
  t.equal(seen.size, 64, 'the 64 bits are all used')
  t.equal(await code(db, 'categories', 'no_such_code'), 0n, 'an unknown code has no bit')
})

t.test('the bits follow every write that changes what a venue could match', async (t) => {
  const db = await freshDb(t)
  const org = await insertOrganisation(db)
  const hall = await insertVenue(db, { organisation_id: org.id, lat: 51.47, lon: -0.07, accessibility: ['step_free'] })
  const barn = await insertVenue(db, { organisation_id: org.id, lat: 51.48, lon: -0.08 })
  const allExact = async (what: string) => {
    const rows = await db.query<{ id: string; bits: string; exact: string }>(EXACT)
    const missing = rows.filter((r) => (BigInt(r.bits) & BigInt(r.exact)) !== BigInt(r.exact))
    t.same(missing, [], `${what}: every venue's bits hold all of the recomputed ones`)
  }
  const [gardening, free, paid, live, sun, tue, evening, morning, stepFree, seating] = await Promise.all([
    code(db, 'categories', 'gardening'), code(db, 'cost', 'free'), code(db, 'cost', 'paid'), code(db, 'live', 'live'),
    code(db, 'days', 'sun'), code(db, 'days', 'tue'), code(db, 'period', 'evening'), code(db, 'period', 'morning'),
    code(db, 'accessibility', 'step_free'), code(db, 'accessibility', 'seating'),
  ])
  t.equal(await bitsOf(db, hall.id), 0n, 'a venue without sessions has none')

  const s = await insertScheme(db, {
    organisation_id: org.id, name: 'Garden club', categories: ['gardening'], cost_free: true, accessibility: ['seating'],
    sessions: [{ venue_id: hall.id, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '20:00' }],
  })
  let b = await bitsOf(db, hall.id)
  for (const [name, bit] of Object.entries({ gardening, free, live, tue, evening, stepFree, seating })) t.ok(has(b, bit), `a session adds ${name}`)
  t.notOk(has(b, sun) || has(b, morning) || has(b, paid), 'and nothing it does not have')
  await allExact('after a session is added')

  await insertSessions(db, s.id, [{ venue_id: hall.id, frequency: 'once', date: '2030-06-02', starts: '09:00', ends: '10:00' }], 1)
  b = await bitsOf(db, hall.id)
  t.ok(has(b, sun) && has(b, morning), 'a one-off session adds its date\'s weekday (2 June 2030 is a Sunday) and its period')
  await allExact('after a one-off session')

  await updateScheme(db, s.id, { cost_free: false, categories: sql`ARRAY['walking']::text[]` })
  b = await bitsOf(db, hall.id)
  t.ok(has(b, paid) && has(b, await code(db, 'categories', 'walking')), 'a scheme\'s new cost and categories are added')
  await allExact('after the scheme changes')

  await db.query(sql`UPDATE venues SET accessibility = '{hearing_loop}' WHERE id = ${hall.id}::uuid`)
  t.ok(has(await bitsOf(db, hall.id), await code(db, 'accessibility', 'hearing_loop')), 'a venue\'s new accessibility is added')
  await allExact('after the venue changes')

  await replaceSessions(db, s.id, [{ venue_id: barn.id, frequency: 'weekly', days: ['sun'], starts: '10:00', ends: '11:00' }])
  t.ok(has(await bitsOf(db, barn.id), sun), 'sessions moved to another venue give it theirs')
  await allExact('after sessions move')

  const third = await insertVenue(db, { organisation_id: org.id, lat: 51.49, lon: -0.09 })
  await db.query(sql`UPDATE sessions SET venue_id = ${third.id}::uuid WHERE scheme_id = ${s.id}::uuid`)
  t.ok(has(await bitsOf(db, third.id), live), 'a session updated to another venue gives it its bits')
  await allExact('after a session update')

  await updateScheme(db, s.id, { status: 'paused' })
  await updateScheme(db, s.id, { status: 'active', categories: sql`ARRAY['cookery']::text[]` })
  t.ok(has(await bitsOf(db, third.id), await code(db, 'categories', 'cookery')), 'a scheme made active again adds its codes')
  await updateScheme(db, s.id, { deleted_at: sql`now()` })
  const again = await insertScheme(db, { organisation_id: org.id, name: 'Choir', sessions: [{ venue_id: barn.id, frequency: 'weekly', days: ['mon'], starts: '10:00', ends: '11:00' }] })
  await db.query(sql`UPDATE venues SET deleted_at = now() WHERE id = ${barn.id}::uuid`)
  await db.query(sql`DELETE FROM schemes WHERE id = ${again.id}::uuid`)
  await allExact('after status changes, deletions and a scheme removed with its sessions')

  // the migration's recompute makes every venue's bits exact again
  const migration = readFileSync(new URL('../../migrations/0008_search_bits.sql', import.meta.url), 'utf8')
  const recompute = migration.slice(migration.indexOf("-- every venue's bits, recomputed whole"), migration.indexOf('CREATE INDEX venues_search_points'))
  await db.exec(recompute)
  const rows = await db.query<{ id: string; bits: string; exact: string }>(EXACT)
  t.same(rows.map((r) => r.bits), rows.map((r) => r.exact), 'recomputed whole, every venue\'s bits are exact')
  t.equal(await bitsOf(db, barn.id), 0n, 'a deleted venue has none')
  t.equal(await bitsOf(db, hall.id), 0n, 'nor one whose sessions all moved away')
})

t.test('two writers at one venue at once: neither one\'s codes are lost', { skip: DB_KIND === 'pglite' && 'one connection: no concurrent writers' }, async (t) => {
  const db = await freshDb(t)
  const org = await insertOrganisation(db)
  const hall = await insertVenue(db, { organisation_id: org.id, lat: 51.47, lon: -0.07 })
  const walking = await insertScheme(db, { organisation_id: org.id, name: 'Walk', categories: ['walking'] })
  const singing = await insertScheme(db, { organisation_id: org.id, name: 'Sing', categories: ['music_singing'] })
  const url = freshDbUrl(db)!
  const a = new pg.Client({ connectionString: url })
  const b = new pg.Client({ connectionString: url })
  await a.connect()
  await b.connect()
  t.teardown(async () => { await a.end(); await b.end() })
  const insert = (c: pg.Client, scheme: string) => c.query(
    "INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, starts, ends) VALUES ($1, 0, $2, 'weekly', '{mon}', '10:00', '11:00')", [scheme, hall.id])
  await a.query('BEGIN')
  await b.query('BEGIN')
  await insert(a, walking.id)
  // b's refresh waits for a's row lock on the venue, then computes from a snapshot without a's session
  const bDone = insert(b, singing.id).then(() => b.query('COMMIT'))
  await new Promise((r) => setTimeout(r, 200))
  await a.query('COMMIT')
  await bDone
  const bits = await bitsOf(db, hall.id)
  t.ok(has(bits, await code(db, 'categories', 'walking')), 'the first writer\'s category is there')
  t.ok(has(bits, await code(db, 'categories', 'music_singing')), 'and the second\'s')
})
