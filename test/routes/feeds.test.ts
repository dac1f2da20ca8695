import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue } from '../fixtures/api.ts'
import { compactTombstones } from '../../src/repositories/changes.ts'

// The change feeds (RPDE 1.0): what they carry, how pages chain, and what they refuse.

async function walk(app: Parameters<typeof call>[0], url: string) {
  const pages: Array<{ url: string; body: any; cacheControl: string }> = []
  for (let next = url; ;) {
    const res = await call(app, 'GET', next)
    if (res.statusCode !== 200) throw new Error(`${next}: ${res.statusCode} ${res.body}`)
    const body = res.json()
    pages.push({ url: next, body, cacheControl: String(res.headers['cache-control']) })
    if (body.items.length === 0) return pages
    next = new URL(body.next).pathname + new URL(body.next).search
  }
}

t.test('a walk gives each scheme once, as GET shows it, then an empty last page pointing at itself', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const a = await createScheme(app, key)
  const b = await createScheme(app, key)
  const pages = await walk(app, '/v1/feeds/schemes?limit=1')
  t.equal(pages.length, 3, 'two pages of one item, then the last page')
  const items = pages.flatMap((p) => p.body.items)
  t.same(items.map((i: any) => i.id), [a.id, b.id], 'in change order')
  for (const item of items) {
    const got = await call(app, 'GET', `/v1/schemes/${item.id}`)
    t.same(item.data, got.json(), 'data is the document GET returns')
    t.equal(item.state, 'updated')
    t.equal(item.kind, 'scheme')
    t.ok(Number.isInteger(item.modified) && item.modified > 0)
  }
  t.ok(items[1].modified > items[0].modified)
  t.equal(pages[0].cacheControl, 'public, max-age=3600')
  const last = pages[2]
  t.same(last.body.items, [])
  t.equal(new URL(last.body.next).pathname + new URL(last.body.next).search, last.url, 'the last page names itself')
  t.equal(last.cacheControl, 'public, max-age=8')
  t.match(last.body.license, /^https:\/\//)
  t.equal(new URL(pages[0].body.next).searchParams.get('limit'), '1', 'next keeps the page size')
})

t.test('an update moves the scheme to the end; a delete leaves a tombstone without data', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const a = await createScheme(app, key)
  const b = await createScheme(app, key)
  const first = await walk(app, '/v1/feeds/schemes')
  const end = first[first.length - 1].url

  const patched = await call(app, 'PATCH', `/v1/schemes/${a.id}`, { key, body: { name: 'Renamed Walk' }, headers: { 'if-match': '*' } })
  t.equal(patched.statusCode, 200, patched.body)
  t.equal((await call(app, 'DELETE', `/v1/schemes/${b.id}`, { key, headers: { 'if-match': '*' } })).statusCode, 204)

  const after = (await walk(app, end)).flatMap((p) => p.body.items)
  t.same(after.map((i: any) => [i.id, i.state]), [[a.id, 'updated'], [b.id, 'deleted']])
  t.equal(after[0].data.name, 'Renamed Walk')
  t.notOk('data' in after[1], 'a tombstone carries no data')
  const all = (await walk(app, '/v1/feeds/schemes')).flatMap((p) => p.body.items)
  t.equal(all.length, 2, 'each scheme once, at its latest change')
})

t.test('a venue edit is a venue change and a change of the schemes that meet there', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const scheme = await createScheme(app, key, { sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00' }] })
  const end = (await walk(app, '/v1/feeds/schemes')).pop()!.url
  const vend = (await walk(app, '/v1/feeds/venues')).pop()!.url
  const res = await call(app, 'PATCH', `/v1/venues/${venue.id}`, { key, body: { name: 'The New Hall' }, headers: { 'if-match': '*' } })
  t.equal(res.statusCode, 200, res.body)
  const schemes = (await walk(app, end)).flatMap((p) => p.body.items)
  t.same(schemes.map((i: any) => i.id), [scheme.id])
  t.equal(schemes[0].data.venues[0].name, 'The New Hall')
  const venues = (await walk(app, vend)).flatMap((p) => p.body.items)
  t.same(venues.map((i: any) => [i.kind, i.id, i.data.name]), [['venue', venue.id, 'The New Hall']])
  const orgs = (await walk(app, '/v1/feeds/organisations')).flatMap((p) => p.body.items)
  t.ok(orgs.length >= 1 && orgs.every((i: any) => i.kind === 'organisation' && i.state === 'updated'))
})

t.test('tombstones older than the retention are compacted, others stay', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const old = await createScheme(app, key)
  const recent = await createScheme(app, key)
  for (const s of [old, recent]) await call(app, 'DELETE', `/v1/schemes/${s.id}`, { key, headers: { 'if-match': '*' } })
  await db.query(sql`UPDATE changes SET modified = now() - interval '8 days' WHERE id = ${old.id}`)
  t.equal(await compactTombstones(db, 7), 1)
  const items = (await walk(app, '/v1/feeds/schemes')).flatMap((p) => p.body.items)
  t.same(items.map((i: any) => [i.id, i.state]), [[recent.id, 'deleted']])
})

t.test('bad paging values are refused, each named', async (t) => {
  const { app } = await build(t)
  // Tried: a sign, an exponent, hex, padding, 19+ digits, a decimal, an empty value, RPDE's other ordering, limits out of range.
  for (const bad of ['-1', '1e3', '0x10', '007', '99999999999999999999', '1.5', '']) {
    const res = await call(app, 'GET', `/v1/feeds/schemes?afterChangeNumber=${encodeURIComponent(bad)}`)
    t.equal(res.statusCode, 400, `afterChangeNumber=${bad}`)
    t.match(JSON.stringify(res.json().errors), /afterChangeNumber/)
  }
  const other = await call(app, 'GET', '/v1/feeds/venues?afterTimestamp=1&afterId=x')
  t.equal(other.statusCode, 400)
  t.match(JSON.stringify(other.json().errors), /afterTimestamp/)
  const limits = await call(app, 'GET', '/v1/feeds/organisations?limit=0&afterChangeNumber=abc')
  t.equal(limits.statusCode, 400)
  t.match(JSON.stringify(limits.json().errors), /limit/)
  t.match(JSON.stringify(limits.json().errors), /afterChangeNumber/)
  t.equal((await call(app, 'GET', '/v1/feeds/schemes?limit=1001')).statusCode, 400)
})
