import t from 'tap'
import { randomUUID } from 'node:crypto'
import { build } from '../../helper.ts'
import { seed, published, ORGS, SCHEMES, VENUES, type SchemeSpec } from './dataset.ts'
import { orukValidators } from './oruk-ajv.ts'

// HSDS 3.0's sync parameters on /oruk/services, each against an oracle worked out from the
// dataset's plain description and the updated_at stamps this test writes itself.

// Stamps as RFC 3339 text with microseconds, so that the oracle compares them as text.
const at = (hour: number, micros = 0) => new Date(Date.UTC(2026, 0, 1, hour)).toISOString().slice(0, 20) + String(micros).padStart(6, '0') + 'Z'
const schemeStamp = (i: number) => at(i, i === 3 ? 123456 : i * 1000)
const ORG_STAMP = [at(0, 500), at(2), at(30)]
const VENUE_STAMP: Record<string, string> = { rye: at(25), camberwell: at(1), brixton: at(3), leith: at(1, 999), splott: at(4), old: at(40) }
/** RFC 3339 text → microseconds (the oracle's clock: text of any precision compared exactly). */
const micros = (iso: string) => {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso)!
  return BigInt(Date.parse(m[1] + 'Z')) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0').slice(0, 6))
}

/** When the oracle says a scheme last changed: the latest of it, its organisation and any venue its sessions name. */
function modifiedAt(s: SchemeSpec): string {
  const stamps = [schemeStamp(SCHEMES.indexOf(s)), ORG_STAMP[s.org], ...s.sessions.filter((ss) => ss.venue).map((ss) => VENUE_STAMP[ss.venue!])]
  return stamps.reduce((a, b) => (micros(a) >= micros(b) ? a : b))
}
/** last_modified as the feed writes it: to the millisecond. */
const lastModified = (s: SchemeSpec) => modifiedAt(s).slice(0, 23) + 'Z'
const byName = (a: SchemeSpec, b: SchemeSpec) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1)

async function stamped(t: any) {
  const built = await build(t)
  const ids = await seed(built.db)
  for (const [i, id] of ids.schemeIds.entries()) await built.db.query('UPDATE schemes SET updated_at = $1 WHERE id = $2', [schemeStamp(i), id])
  for (const [i, id] of ids.orgIds.entries()) await built.db.query('UPDATE organisations SET updated_at = $1 WHERE id = $2', [ORG_STAMP[i], id])
  for (const [key, id] of Object.entries(ids.venueIds)) await built.db.query('UPDATE venues SET updated_at = $1 WHERE id = $2', [VENUE_STAMP[key], id])
  const idOf = (s: SchemeSpec) => ids.schemeIds[SCHEMES.indexOf(s)]
  return { ...built, ...ids, idOf }
}

t.test('modified_after and organization_id keep what the oracle keeps, with last_modified the latest change', async (t) => {
  const { app, orgIds, idOf } = await stamped(t)
  const list = async (query: string) => {
    const r = await app.inject(`/oruk/services?${query.includes('per_page') ? '' : 'per_page=500&'}${query}`)
    t.equal(r.statusCode, 200, query)
    return r.json()
  }
  const expectOf = (keep: (s: SchemeSpec) => boolean) => published().filter(keep).sort(byName).map((s) => [s.name, lastModified(s)])
  const got = (body: any) => body.contents.map((s: any) => [s.name, s.last_modified])

  t.same(got(await list('')), expectOf(() => true), 'no filter: every published service, last_modified the latest of scheme, organisation, venues')
  t.equal(published().filter((s) => lastModified(s) !== schemeStamp(SCHEMES.indexOf(s)).slice(0, 23) + 'Z').length > 3, true,
    'several services take their last_modified from the organisation or a venue')

  // boundaries: each stamp itself (kept), a microsecond and a millisecond after it, and a sub-millisecond instant
  const instants = new Set<string>(['2025-12-31T23:59:59Z', '2026-01-01T12:00:00+00:00', '2026-01-01T13:00:00+01:00', '2027-01-01T00:00:00Z',
    '2026-01-01T03:00:00.1234Z', '2026-01-01T03:00:00.123Z', '2026-01-01T03:00:00.124Z', '2026-01-01T03:00:00.123457Z'])
  for (const s of published()) {
    const m = modifiedAt(s)
    instants.add(lastModified(s))
    instants.add(m.slice(0, 23) + '1Z')
    instants.add(new Date(Date.parse(lastModified(s)) + 1).toISOString())
  }
  for (const instant of instants) {
    // an offset: the oracle reads it through Date.parse, then compares at microseconds
    const inUtc = /[+-]\d\d:\d\d$/.test(instant) ? new Date(Date.parse(instant)).toISOString() : instant
    const want = expectOf((s) => micros(lastModified(s)) >= micros(inUtc))
    t.same(got(await list(`modified_after=${encodeURIComponent(instant)}`)), want, `modified_after=${instant} (${want.length})`)
  }
  t.same(got(await list('modified_after=2026-01-01T03:00:00.1234Z')).map((x: any) => x[0]).includes(SCHEMES[3].name), false,
    'a stamp of …00.123456 is written 00.123, so it is not on or after 00.1234')

  for (const [i, org] of orgIds.entries()) {
    t.same(got(await list(`organization_id=${org}`)), expectOf((s) => s.org === i), `${ORGS[i].name}`)
    t.same(got(await list(`organization_id=${org.toUpperCase()}&modified_after=2026-01-01T20:00:00Z`)),
      expectOf((s) => s.org === i && micros(lastModified(s)) >= micros(at(20))), `${ORGS[i].name}, modified since 20:00`)
  }
  t.same(got(await list(`organization_id=${randomUUID()}`)), [], 'an organisation with no services')

  // minimal and full: the same services in the same order, in another form
  const summary = await list('per_page=4&page=2')
  const minimal = await list('per_page=4&page=2&minimal=true')
  t.same(minimal, { ...summary, contents: summary.contents.map((s: any) => ({ id: s.id, last_modified: s.last_modified })) },
    'minimal: only id and last_modified, in the same envelope')
  const full = await list('per_page=4&page=2&full=true')
  t.same(full.contents.map((s: any) => s.id), summary.contents.map((s: any) => s.id))
  for (const s of full.contents) t.same(s, (await app.inject(`/oruk/services/${s.id}`)).json(), `full: ${s.name} as GET /oruk/services/{id}`)
  const V = orukValidators()
  t.same(V.servicePage(summary), [], 'the default page is still an ORUK service_list page')
  for (const s of full.contents) t.same(V.service(s), [], `full ${s.name} is a valid ORUK service`)
  const walk = SCHEMES.find((s) => s.name === 'Evening walk and talk')!
  t.equal((await app.inject(`/oruk/services/${idOf(walk)}`)).json().last_modified, lastModified(walk), 'GET /services/{id} says the same last_modified')
  const sal = (await app.inject('/oruk/service_at_locations?per_page=500')).json().contents.find((x: any) => x.service.id === idOf(walk))
  t.equal(sal.service.last_modified, lastModified(walk), 'so does a service_at_location')
})

t.test('a change to an organisation or a venue brings its services back into modified_after', async (t) => {
  const { app, db, orgIds, venueIds } = await stamped(t)
  const names = async (q: string) => (await app.inject(`/oruk/services?per_page=500&minimal=true&${q}`)).json().contents.map((s: any) => s.id).sort()
  const since = '2026-06-01T00:00:00Z'
  t.same(await names(`modified_after=${since}`), [], 'nothing since June')
  // the choir's organisation changes: its three published services come back
  await db.query(`UPDATE organisations SET description = 'Singing.', updated_at = '2026-07-01T00:00:00Z' WHERE id = $1`, [orgIds[1]])
  const choirIds = (await app.inject(`/oruk/services?per_page=500&organization_id=${orgIds[1]}&minimal=true`)).json().contents.map((s: any) => s.id).sort()
  t.equal(choirIds.length, published().filter((s) => s.org === 1).length)
  t.same(await names(`modified_after=${since}`), choirIds)
  // Brixton Rec changes: the schemes meeting there come back too
  await db.query(`UPDATE venues SET name = 'Brixton Recreation Centre', updated_at = '2026-08-01T00:00:00Z' WHERE id = $1`, [venueIds.brixton])
  const atBrixton = published().filter((s) => s.sessions.some((ss) => ss.venue === 'brixton')).map((s) => s.name).sort()
  const got = (await app.inject(`/oruk/services?per_page=500&modified_after=2026-07-15T00:00:00Z`)).json().contents.map((s: any) => s.name).sort()
  t.same(got, atBrixton)
  t.ok(atBrixton.length >= 2)
})

t.test('format=ndjson streams every matching service once, by id, over HTTP', async (t) => {
  const { app, db, orgIds } = await stamped(t)
  // enough services for several of the stream's batches
  const extra = 1234
  await db.query(`INSERT INTO schemes (organisation_id, name, description, categories, languages, contact_email, updated_at)
    SELECT $1, 'Bulk group ' || n, 'A group.', '{walking}', '{en}', 'bulk@example.org.uk', '2026-03-01T00:00:00Z'::timestamptz + n * interval '1 second'
    FROM generate_series(1, ${extra}) n`, [orgIds[2]])
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address() as { port: number }
  const get = async (query: string) => {
    const r = await fetch(`http://127.0.0.1:${address.port}/oruk/services?format=ndjson&${query}`)
    t.equal(r.status, 200, query)
    t.equal(r.headers.get('content-type'), 'application/x-ndjson; charset=utf-8')
    t.equal(r.headers.get('access-control-allow-origin'), '*')
    const text = await r.text()
    t.ok(text === '' || text.endsWith('\n'), 'every line ends with a newline')
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line))
  }
  const all = await get('minimal=true')
  const bulkIds = (await db.query(`SELECT id FROM schemes WHERE name LIKE 'Bulk group %'`)).map((r: any) => r.id)
  t.equal(all.length, published().length + extra, 'every published service')
  t.equal(new Set(all.map((s: any) => s.id)).size, all.length, 'each once')
  t.same(all.map((s: any) => s.id), [...all.map((s: any) => s.id)].sort(), 'by id')
  t.ok(bulkIds.every((id: string) => all.some((s: any) => s.id === id)))
  t.same(Object.keys(all[0]).sort(), ['id', 'last_modified'])

  const since = '2026-03-01T00:10:00Z'
  const recent = await get(`minimal=true&modified_after=${since}`)
  t.equal(recent.length, extra - 599, 'bulk groups stamped from 00:10:00 on, and no dataset service (all January)')
  const summaries = await get(`organization_id=${orgIds[0]}`)
  t.same(summaries.map((s: any) => s.name).sort(), published().filter((s) => s.org === 0).map((s) => s.name).sort())
  const page = (await app.inject(`/oruk/services?per_page=500&organization_id=${orgIds[0]}`)).json().contents
  t.same([...summaries].sort((a, b) => (a.id < b.id ? -1 : 1)), [...page].sort((a: any, b: any) => (a.id < b.id ? -1 : 1)), 'each line is the page\'s service')
  const full = await get(`full=true&organization_id=${orgIds[1]}`)
  for (const s of full) t.same(s, (await app.inject(`/oruk/services/${s.id}`)).json(), `full line ${s.name}`)
  t.same(await get('search=nothingmatchesthis'), [], 'nothing matches: an empty body')
})

t.test('taxonomies and terms: search, taxonomy_id, top_only and parent_id', async (t) => {
  const { app } = await build(t)
  const list = async (path: string, query = '') => {
    const r = await app.inject(`/oruk/${path}?per_page=500&${query}`)
    t.equal(r.statusCode, 200, `${path}?${query}`)
    return r.json()
  }
  const taxonomies = (await list('taxonomies')).contents
  const terms = (await list('taxonomy_terms')).contents
  // the oracle's search: every word, any case, in one of the texts
  const has = (q: string, texts: string[]) => q.toLowerCase().split(' ').every((w) => texts.some((x) => x.toLowerCase().includes(w)))

  t.same((await list('taxonomies', 'search=referral')).contents.map((x: any) => x.name), ['Signpost referral methods', 'Signpost referral sources'])
  t.same((await list('taxonomies', 'search=REFERRAL%20Sources')).contents.map((x: any) => x.name), ['Signpost referral sources'])
  for (const q of ['referral', 'access', 'group sizes', 'what', 'zebra']) {
    const got = await list('taxonomies', `search=${encodeURIComponent(q)}`)
    t.same(got.contents, taxonomies.filter((x: any) => has(q, [x.name, x.description])), `taxonomies search=${q}`)
    t.equal(got.total_items, got.contents.length)
  }
  t.same((await list('taxonomies', 'search=zebra&page=1')).empty, true)

  const walking = (await list('taxonomy_terms', 'search=walking')).contents
  t.ok(walking.some((x: any) => x.term === 'walking' && x.taxonomy === 'Signpost categories'), 'search=walking finds the walking category')
  for (const q of ['walking', 'LONELINESS', 'step free', 'gp', 'nothing-like-this']) {
    t.same((await list('taxonomy_terms', `search=${encodeURIComponent(q)}`)).contents, terms.filter((x: any) => has(q, [x.name, x.description, x.term])),
      `terms search=${q}`)
  }
  for (const tx of taxonomies) {
    const got = (await list('taxonomy_terms', `taxonomy_id=${tx.id}`)).contents
    t.same(got, terms.filter((x: any) => x.taxonomy_id === tx.id), `taxonomy_id of ${tx.name}`)
    t.ok(got.length > 0)
  }
  const categories = taxonomies.find((x: any) => x.name === 'Signpost categories')
  t.same((await list('taxonomy_terms', `taxonomy_id=${categories.id.toUpperCase()}&search=walk`)).contents,
    terms.filter((x: any) => x.taxonomy_id === categories.id && has('walk', [x.name, x.description, x.term])), 'taxonomy_id and search together')
  t.same((await list('taxonomy_terms', `taxonomy_id=${randomUUID()}`)).contents, [], 'an unknown taxonomy: no terms')

  // the vocabularies are flat: no term names a parent
  t.ok(terms.every((x: any) => !('parent_id' in x)))
  t.same((await list('taxonomy_terms', 'top_only=true')).contents, terms, 'top_only: every term is top-level')
  t.same((await list('taxonomy_terms', 'top_only=false')).contents, terms)
  t.same((await list('taxonomy_terms', `parent_id=${terms[0].id}`)).contents, [], 'parent_id: no term has a parent')
  const paged = (await app.inject('/oruk/taxonomy_terms?per_page=5&page=2&top_only=true')).json()
  t.same(paged.contents, terms.slice(5, 10), 'paged as before')
})

t.test('bad values are a 400 naming each parameter', async (t) => {
  const { app } = await build(t)
  const cases: Array<[string, string[]]> = [
    ['/oruk/services?modified_after=yesterday', ['modified_after']],
    ['/oruk/services?modified_after=2026-01-01', ['modified_after']],
    ['/oruk/services?modified_after=2026-01-01T00:00:00', ['modified_after']],
    ['/oruk/services?modified_after=2026-13-01T00:00:00Z', ['modified_after']],
    ['/oruk/services?modified_after=0000-01-01T00:00:00Z', ['modified_after']],
    ['/oruk/services?organization_id=not-a-uuid', ['organization_id']],
    ['/oruk/services?minimal=maybe', ['minimal']],
    ['/oruk/services?full=2', ['full']],
    ['/oruk/services?format=xml', ['format']],
    ['/oruk/services?format=NDJSON', ['format']],
    ['/oruk/services?minimal=true&full=true', ['minimal', 'full']],
    ['/oruk/services?minimal=true&full=true&format=ndjson', ['minimal', 'full']],
    ['/oruk/services?modified_after=yesterday&organization_id=not-a-uuid&minimal=maybe&format=xml', ['modified_after', 'organization_id', 'minimal', 'format']],
    ['/oruk/service_at_locations?modified_after=2026-01-01T00:00:00Z', ['modified_after']],
    ['/oruk/taxonomies?search=', ['search']],
    ['/oruk/taxonomies?taxonomy_id=x', ['taxonomy_id']],
    ['/oruk/taxonomy_terms?top_only=maybe&parent_id=not-a-uuid', ['top_only', 'parent_id']],
    ['/oruk/taxonomy_terms?format=ndjson', ['format']],
  ]
  for (const [url, params] of cases) {
    const r = await app.inject(url)
    t.equal(r.statusCode, 400, url)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    t.same(r.json().errors.map((e: any) => e.parameter).sort(), [...params].sort(), `${url} names ${params}`)
  }
})
