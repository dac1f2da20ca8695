import t from 'tap'
import { randomUUID } from 'node:crypto'
import { build } from '../../helper.ts'
import { seed, published, publishedPairs, currentSessions, VENUES, type SchemeSpec, type SessionSpec } from './dataset.ts'
import { resolvePostcode } from '../../../src/geo/postcodes.ts'
import { termId, taxonomyId } from '../../../src/formats/oruk/taxonomies.ts'

// Each ORUK filter against an oracle worked out from the dataset's plain description.

const WEEKDAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const runsOn = (ss: SessionSpec, day: string) => (ss.frequency === 'once' ? WEEKDAY[new Date(`${ss.date}T12:00:00Z`).getUTCDay()] === day : ss.days!.includes(day))
const venueOf = (key: string | null) => VENUES.find((v) => v.key === key)

interface Expect { scheme?: (s: SchemeSpec) => boolean; session?: (ss: SessionSpec) => boolean; access?: string }

/** The services and service_at_locations the oracle expects for one set of filters, by name, sorted. */
function expected(e: Expect) {
  const sessionOk = (ss: SessionSpec) => !e.session || e.session(ss)
  const services = published().filter((s) => (!e.scheme || e.scheme(s))
    && (!e.session || currentSessions(s).some(sessionOk))
    && (!e.access || (s.accessibility ?? []).includes(e.access) || currentSessions(s).some((ss) => ss.venue && !venueOf(ss.venue)!.deleted && venueOf(ss.venue)!.accessibility.includes(e.access!))))
  const sals = publishedPairs().filter(({ scheme: s, venue: v }) => (!e.scheme || e.scheme(s))
    && currentSessions(s).some((ss) => ss.venue === v.key && sessionOk(ss))
    && (!e.access || (s.accessibility ?? []).includes(e.access) || v.accessibility.includes(e.access)))
  return { services: services.map((s) => s.name).sort(), sals: sals.map((p) => `${p.scheme.name} @ ${p.venue.name}`).sort() }
}

t.test('each filter changes the results as ORUK describes it', async (t) => {
  const { app, db } = await build(t)
  await seed(db)
  const fetch = async (path: string, query: string) => {
    const r = await app.inject(`/oruk/${path}?per_page=500&${query}`)
    t.equal(r.statusCode, 200, `${path}?${query}`)
    return r.json().contents
  }
  const names = async (query: string) => ({
    services: (await fetch('services', query)).map((s: any) => s.name).sort(),
    sals: (await fetch('service_at_locations', query)).map((s: any) => `${s.service.name} @ ${s.location.name}`).sort(),
  })
  const all = await names('')
  t.same(all, expected({}), 'no filter: every published scheme, and each at every venue of a current session')

  const unknownTerm = randomUUID()
  const unknownTaxonomy = randomUUID()
  const cases: Array<[string, Expect]> = [
    ['search=choir', { scheme: (s) => s.org === 1 || /choir/i.test(s.name + s.description) }],
    ['search=walks', { scheme: (s) => s.org === 0 || /walk/i.test(s.name + s.description) }],
    [`taxonomy_term_id=${termId('categories', 'walking')}`, { scheme: (s) => s.categories.includes('walking') }],
    [`taxonomy_term_id=${termId('categories', 'walking').toUpperCase()}`, { scheme: (s) => s.categories.includes('walking') }],
    [`taxonomy_term_id=${termId('needs', 'loneliness')}`, { scheme: (s) => (s.needs ?? []).includes('loneliness') }],
    [`taxonomy_term_id=${termId('delivery', 'telephone')}`, { scheme: (s) => (s.delivery ?? []).includes('telephone') }],
    [`taxonomy_term_id=${termId('group_size', 'large')}`, { scheme: (s) => s.group_size === 'large' }],
    [`taxonomy_term_id=${termId('accessibility', 'step_free')}`, { access: 'step_free' }],
    [`taxonomy_term_id=${termId('accessibility', 'bsl')}`, { access: 'bsl' }],
    [`taxonomy_term_id=${unknownTerm}`, { scheme: () => false }],
    [`taxonomy_id=${taxonomyId('group_size')}`, { scheme: (s) => s.group_size !== undefined }],
    [`taxonomy_id=${taxonomyId('audience')}`, { scheme: (s) => (s.audience ?? []).length > 0 }],
    [`taxonomy_id=${unknownTaxonomy}`, { scheme: () => false }],
    ['minimum_age=18', { scheme: (s) => (s.min_age ?? 0) >= 18 }],
    ['minimum_age=0', { scheme: () => true }],
    ['maximum_age=30', { scheme: (s) => s.max_age !== undefined && s.max_age <= 30 }],
    ['start_time=18:00', { session: (ss) => ss.starts >= '18:00' }],
    ['end_time=12:00', { session: (ss) => ss.ends <= '12:00' }],
    ['end_time=12:00:00', { session: (ss) => ss.ends <= '12:00' }],
    ['day=sa', { session: (ss) => runsOn(ss, 'sat') }],
    ['day=FR', { session: (ss) => runsOn(ss, 'fri') }],
    // one session must meet all three: the choir meets on Sunday at 15:00 and on Wednesday at 19:00
    ['day=SU&start_time=18:00', { session: (ss) => runsOn(ss, 'sun') && ss.starts >= '18:00' }],
    ['day=WE&start_time=18:00&end_time=21:00', { session: (ss) => runsOn(ss, 'wed') && ss.starts >= '18:00' && ss.ends <= '21:00' }],
    [`day=sa&taxonomy_term_id=${termId('categories', 'music_singing')}`, { scheme: (s) => s.categories.includes('music_singing'), session: (ss) => runsOn(ss, 'sat') }],
  ]
  for (const [query, e] of cases) {
    const got = await names(query)
    const want = expected(e)
    t.same(got, want, query)
    t.ok(want.services.length < all.services.length || query === 'minimum_age=0', `${query} leaves some out`)
    const none = query.includes(unknownTerm) || query.includes(unknownTaxonomy) || query.startsWith('day=SU&')
    t.equal(want.services.length === 0, none, `${query} ${none ? 'matches nothing' : 'keeps some'}`)
  }
  t.same((await names('day=SU&start_time=18:00')).services, [], 'the choir\'s two sessions do not combine')

  // postcode: nearest first from the centroid; proximity keeps those within it
  const origin = await resolvePostcode('SE15 4AA')
  if (!origin.ok) throw new Error('SE15 4AA must resolve')
  const metres = (lat: number, lon: number) => {
    const r = 6371008.8, p = Math.PI / 180
    const a = Math.sin(((lat - origin.lat) * p) / 2) ** 2 + Math.cos(origin.lat * p) * Math.cos(lat * p) * Math.sin(((lon - origin.lon) * p) / 2) ** 2
    return 2 * r * Math.asin(Math.sqrt(a))
  }
  const near = await fetch('service_at_locations', 'postcode=se154aa')
  t.equal(near.length, all.sals.length, 'postcode alone filters nothing out')
  const d = near.map((s: any) => metres(s.location.latitude, s.location.longitude))
  t.ok(d.every((x: number, i: number) => i === 0 || x >= d[i - 1] - 1), 'nearest first')
  const proximity = 3000
  for (const v of VENUES) t.ok(Math.abs(metres(v.lat, v.lon) - proximity) > 100, `${v.name} is not on the edge`)
  const within = await fetch('service_at_locations', `postcode=SE15%204AA&proximity=${proximity}`)
  t.same(within.map((s: any) => s.id), near.filter((_: any, i: number) => d[i] <= proximity).map((s: any) => s.id), 'proximity keeps those within it, in order')
  t.ok(within.length > 0 && within.length < near.length)
  const withFilter = await fetch('service_at_locations', `postcode=SE15%204AA&proximity=${proximity}&day=SA`)
  t.same(withFilter.map((s: any) => `${s.service.name} @ ${s.location.name}`).sort(),
    expected({ session: (ss) => runsOn(ss, 'sat') }).sals.filter((n) => within.some((s: any) => `${s.service.name} @ ${s.location.name}` === n)))
})

t.test('bad parameters are 400 (422 for a postcode that cannot be placed), with the CORS header', async (t) => {
  const { app, logs } = await build(t)
  const cases: Array<[string, number, string[]]> = [
    ['/oruk/services?per_page=0', 400, ['per_page']],
    ['/oruk/services?per_page=501', 400, ['per_page']],
    ['/oruk/services?page=0', 400, ['page']],
    ['/oruk/services?page=x', 400, ['page']],
    ['/oruk/services?day=XX', 400, ['day']],
    ['/oruk/services?day=monday', 400, ['day']],
    ['/oruk/services?start_time=25:00', 400, ['start_time']],
    ['/oruk/services?end_time=9am', 400, ['end_time']],
    ['/oruk/services?minimum_age=-1', 400, ['minimum_age']],
    ['/oruk/services?maximum_age=1e309', 400, ['maximum_age']],
    ['/oruk/services?postcode=SE15%204AA', 400, ['postcode']],
    ['/oruk/services?colour=red&day=XX', 400, ['colour', 'day']],
    ['/oruk/taxonomies?day=MO', 400, ['day']],
    ['/oruk/service_at_locations?proximity=1000', 400, ['proximity']],
    ['/oruk/service_at_locations?postcode=SE15%204AA&proximity=0', 400, ['proximity']],
    ['/oruk/service_at_locations?postcode=not%20a%20postcode', 400, ['postcode']],
    ['/oruk/service_at_locations?postcode=BT1%201AA', 422, ['postcode']],
    ['/oruk/service_at_locations?postcode=GY1%201AA&proximity=500', 422, ['postcode']],
  ]
  for (const [url, status, params] of cases) {
    const r = await app.inject(url)
    t.equal(r.statusCode, status, url)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    t.equal(r.headers['access-control-allow-origin'], '*')
    t.same(r.json().errors.map((e: any) => e.parameter).sort(), params.sort(), `${url} names ${params}`)
  }
  t.notMatch(JSON.stringify(logs), /SE15|BT1 1AA|GY1/, 'postcodes are not logged')
  const unknownKey = await app.inject({ url: '/oruk/services', headers: { authorization: 'Bearer sp_not-a-key' } })
  t.equal(unknownKey.statusCode, 401, 'an unknown key is refused')
  t.equal(unknownKey.headers['access-control-allow-origin'], '*', 'with the CORS header')
})
