/**
 * Paging: limit, keyset cursors that return every scheme matching throughout a walk exactly
 * once while other schemes are written between pages, cursors bound to their search, and
 * one SQL statement per page.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { build, TEST_LIMITS } from '../helper.ts'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import type { Db } from '../../src/db/client.ts'
import { destination } from '../oracle/geodesic.ts'
import { insertOrganisation, insertScheme, insertVenue, updateScheme, type SessionRow } from '../fixtures/sql.ts'

const O = { lat: 51.4663, lon: -0.0708 }
const tue = (venue_id: string | null): SessionRow[] => [{ venue_id, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00' }]

async function directory(db: Db) {
  const org = await insertOrganisation(db, 'Paging Trust')
  const venues: string[] = []
  for (let i = 0; i < 8; i++) venues.push((await insertVenue(db, { organisation_id: org.id, ...destination(O, i * 45, 300 + i * 500) })).id)
  const inPerson: string[] = []
  // three schemes share each venue: equal distances, ordered by id
  for (let i = 0; i < 24; i++) inPerson.push((await insertScheme(db, { organisation_id: org.id, name: `In person ${i}`, sessions: tue(venues[i % 8]) })).id)
  const remote: string[] = []
  const names = ['Alpha line', 'alpha line', 'ALPHA LINE', 'beta_call', 'beta call', 'Gamma', 'delta', 'Epsilon', 'zeta', '_first']
  for (const name of names) remote.push((await insertScheme(db, { organisation_id: org.id, name, delivery: ['telephone'], service_area: { type: 'national' } })).id)
  return { org, venues, inPerson, remote }
}

async function walk(app: any, qs: string, limit: number, between: (page: number) => Promise<void> = async () => {}) {
  const ids: string[] = []
  let cursor: string | null = null
  for (let page = 0; page < 200; page++) {
    const res: any = await app.inject(`/v1/schemes?${qs}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    if (res.statusCode !== 200) throw new Error(res.body)
    const body = res.json()
    ids.push(...body.items.map((i: any) => i.id))
    cursor = body.next_cursor
    if (!cursor) return ids
    await between(page)
  }
  throw new Error('no end')
}

t.test('limit: default 20, at most 100', async (t) => {
  const { app, db } = await build(t)
  await directory(db)
  const page = (await app.inject(`/v1/schemes?lat=${O.lat}&lon=${O.lon}`)).json()
  t.equal(page.items.length, 20)
  t.type(page.next_cursor, 'string')
  const all = (await app.inject(`/v1/schemes?limit=100`)).json()
  t.equal(all.items.length, 34, 'everything, without a place')
  t.equal(all.next_cursor, null)
})

t.test('a walk returns every scheme matching throughout exactly once while others are written', async (t) => {
  const { app, db } = await build(t)
  const { org, venues, inPerson, remote } = await directory(db)
  const place = `lat=${O.lat}&lon=${O.lon}&delivery=in_person,telephone`
  const untouched = new Set([...inPerson, ...remote])
  const written: string[] = []
  const expected = await walk(app, place, 100)
  t.equal(expected.length, 34)

  let n = 0
  const ids = await walk(app, place, 3, async (page) => {
    // between every two pages: new schemes nearer and further, new remote ones at both ends
    // of the name order, one paused, one deleted, one renamed
    const near = await insertVenue(db, { organisation_id: org.id, ...destination(O, 10, 50 + page) })
    written.push((await insertScheme(db, { organisation_id: org.id, name: `New near ${n++}`, sessions: tue(near.id) })).id)
    written.push((await insertScheme(db, { organisation_id: org.id, name: `New far ${n++}`, sessions: tue(venues[7]) })).id)
    written.push((await insertScheme(db, { organisation_id: org.id, name: `aaa ${n++}`, delivery: ['telephone'], service_area: { type: 'national' } })).id)
    written.push((await insertScheme(db, { organisation_id: org.id, name: `zzz ${n++}`, delivery: ['telephone'], service_area: { type: 'national' } })).id)
    const victim = (i: number) => { const id = [...untouched][i]; untouched.delete(id); written.push(id); return id }
    if (page === 1) await updateScheme(db, victim(5), { status: 'paused' })
    if (page === 2) await updateScheme(db, victim(20), { deleted_at: sql`now()` })
    if (page === 3) await updateScheme(db, victim(untouched.size - 1), { name: 'Renamed' })
  })
  const seen = new Map<string, number>()
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1)
  t.same([...seen].filter(([, c]) => c > 1), [], 'none twice')
  const missing = [...untouched].filter((id) => !seen.has(id))
  t.same(missing, [], 'every scheme that matched throughout, once')
  t.ok(written.some((id) => seen.has(id)) && written.some((id) => !seen.has(id)), 'and the walk did meet the writes')
  // the untouched ones come in the order of a walk without writes
  t.same(ids.filter((id) => untouched.has(id)), expected.filter((id) => untouched.has(id)))
})

t.test('without a place: a walk by name while others are written', async (t) => {
  const { app, db } = await build(t)
  const { org, inPerson, remote } = await directory(db)
  const expected = await walk(app, 'delivery=in_person,telephone', 100)
  let n = 0
  const ids = await walk(app, 'delivery=in_person,telephone', 4, async () => {
    await insertScheme(db, { organisation_id: org.id, name: `A new one ${n++}`, delivery: ['telephone'], service_area: { type: 'national' } })
    await insertScheme(db, { organisation_id: org.id, name: `zz new ${n++}`, delivery: ['telephone'], service_area: { type: 'national' } })
  })
  const all = new Set([...inPerson, ...remote])
  t.equal(new Set(ids).size, ids.length, 'none twice')
  t.same(ids.filter((id) => all.has(id)), expected, 'every one, in order')
})

t.test('a cursor belongs to its search', async (t) => {
  const { app, db } = await build(t)
  await directory(db)
  const firstRes = await app.inject(`/v1/schemes?postcode=SE15%204&limit=5`)
  const first = firstRes.json()
  const cursor: string = first.next_cursor
  const again = await app.inject(`/v1/schemes?postcode=SE15%204&limit=5`)
  t.equal(again.json().next_cursor, cursor, 'the same page of the same search has the same cursor')
  t.match(firstRes.headers.etag, /^"h[\w-]+"$/, 'an ETag')
  t.equal(again.headers.etag, firstRes.headers.etag, 'the same answer, the same ETag')
  t.type(cursor, 'string')
  t.match(cursor, /^[A-Za-z0-9_-]+$/, 'base64url')

  let res = await app.inject(`/v1/schemes?postcode=se154&limit=5&cursor=${cursor}`)
  t.equal(res.statusCode, 200, 'another spelling of the same place is the same search')
  const second = res.json()
  res = await app.inject(`/v1/schemes?postcode=SE15%204&limit=7&cursor=${cursor}`)
  t.equal(res.statusCode, 200, 'the limit may change between pages')
  t.same(res.json().items.slice(0, 5).map((i: any) => i.id), second.items.map((i: any) => i.id))

  // bad inputs tried: other filters, another place, another radius, no place, a changed character, a truncated cursor
  for (const qs of ['postcode=SE15%204&days=tue', 'postcode=SE15%203', 'postcode=SE15%204&radius_m=5001', 'limit=5', `lat=51.466263&lon=-0.070786`]) {
    res = await app.inject(`/v1/schemes?${qs}&cursor=${cursor}`)
    t.equal(res.statusCode, 400, `${qs}: another search's cursor`)
    t.same(res.json().errors.map((e: any) => e.parameter), ['cursor'])
  }
  const flipped = cursor.slice(0, 20) + (cursor[20] === 'A' ? 'B' : 'A') + cursor.slice(21)
  for (const bad of [flipped, cursor.slice(0, -4), cursor + 'A']) {
    res = await app.inject(`/v1/schemes?postcode=SE15%204&cursor=${bad}`)
    t.equal(res.statusCode, 400, 'a changed cursor')
  }
})

t.test('one SQL statement per page', async (t) => {
  const { db } = await build(t)
  await directory(db)
  let statements = 0
  const counting: Db = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'query') return (...args: any[]) => { statements++; return (target.query as any)(...args) }
      if (prop === 'reader') return counting
      return Reflect.get(target, prop, receiver)
    },
  })
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...TEST_LIMITS }), { db: counting })
  await app.ready()
  t.teardown(() => app.close())
  await app.inject('/v1/schemes?limit=1') // reads the cursor secret once
  for (const qs of [`lat=${O.lat}&lon=${O.lon}&limit=30&delivery=in_person,telephone`, 'limit=40', `postcode=SE15%204&delivery=telephone&limit=10`]) {
    statements = 0
    const res = await app.inject(`/v1/schemes?${qs}`)
    t.ok(res.json().items.length >= 10, `${qs}: ${res.json().items.length} items`)
    t.equal(statements, 1, `${qs}: one statement`)
  }
})
