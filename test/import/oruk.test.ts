import t from 'tap'
import { readFileSync } from 'node:fs'
import { build } from '../helper.ts'
import { walkFeed } from '../formats/oruk/walk.ts'
import { seed, published, publishedPairs, currentSessions, VENUES } from '../formats/oruk/dataset.ts'
import { readImport } from '../../src/import/read.ts'
import { runImport } from '../../src/import/run.ts'
import { withListingTerms } from '../fixtures/oruk-listing.ts'

const EXAMPLES = ['service_full', 'service_list', 'service_at_location_full', 'service_at_location_list', 'organization_full']
// with a Signpost category and delivery mode: a listing needs both (issue 12)
const example = (name: string) => JSON.stringify(withListingTerms(JSON.parse(readFileSync(new URL(`../fixtures/oruk-examples/${name}.json`, import.meta.url), 'utf8'))))

t.test('the ORUK examples import, their invalid coordinates reported, and the feed then validates', async (t) => {
  const { app, db } = await build(t)
  const reports = []
  for (const name of EXAMPLES) {
    const read = readImport(example(name), `${name}.json`)
    t.same(read.problems, [], `${name}: every record is a service`)
    reports.push({ name, ...(await runImport(db, read.units, { onFallback: (e) => t.fail(`fell back: ${e}`) })) })
  }
  t.match(reports[0], { schemes: { created: 1, rejected: 0 }, organisations: { created: 1 }, venues: { created: 0 } })
  const errors = reports[0].problems.filter((p) => p.level === 'error')
  t.same(errors.map((p) => p.field).sort(), [
    'service_at_locations/0/location/addresses/0/postal_code', 'service_at_locations/0/location/latitude', 'service_at_locations/0/location/longitude',
  ], 'the location with lat 100, lon 101 and postcode ABC 1234 is reported')
  t.ok(errors.every((p) => p.row === 'service 1 (ac148810-d857-441c-9679-408f346de14b)' && /not loaded/.test(p.message)))
  t.match(reports[0].problems.find((p) => p.field === 'schedules/0'), { level: 'warning', message: /location that was not loaded/ })
  for (const r of reports.slice(1)) t.match(r.schemes, { created: 0, updated: 0, unchanged: 1, rejected: 0 }, `${r.name}: the same service again, unchanged`)
  const [venues] = await db.query('SELECT count(*) AS n FROM venues')
  t.equal(venues.n, 0, 'no venue was loaded')

  const [scheme] = await db.query('SELECT id, source_id, name, min_age, max_age, cost_free, cost_amount_pence, cost_per, contact_email, contact_website FROM schemes')
  t.match(scheme, { source_id: 'ac148810-d857-441c-9679-408f346de14b', name: 'Community Counselling', min_age: 12, max_age: 100, cost_free: false, cost_amount_pence: 3500, cost_per: 'session', contact_email: 'email@example.com', contact_website: 'http://example.com/counselling' })
  const [org] = await db.query('SELECT name, source_id, email, website FROM organisations')
  t.match(org, { name: 'Example Organization Inc.', source_id: 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610', email: 'email@example.com', website: 'http://example.com' })

  await walkFeed(t, app, { services: 1, sals: 0 })
  const service = (await app.inject(`/oruk/services/${scheme.id}`)).json()
  t.match(service, { name: 'Community Counselling', minimum_age: 12, maximum_age: 100, cost_options: [{ amount: 35, currency: 'GBP' }] })
})

t.test('a Signpost ORUK feed imported into another Signpost keeps what it says', async (t) => {
  const source = await build(t)
  await seed(source.db)
  const list = source.app.inject('/oruk/services?per_page=500')
  const ids: string[] = (await list).json().contents.map((s: any) => s.id)
  const services = await Promise.all(ids.map(async (id) => (await source.app.inject(`/oruk/services/${id}`)).json()))

  const target = await build(t)
  const read = readImport(JSON.stringify(services), 'feed.json')
  const result = await runImport(target.db, read.units, { onFallback: (e) => t.fail(`fell back: ${e}`) })
  t.match(result.schemes, { created: published().length, rejected: 0 })
  t.same(result.problems.filter((p) => p.level === 'error'), [], 'no errors')
  const again = await runImport(target.db, readImport(JSON.stringify(services), 'feed.json').units)
  t.match(again.schemes, { created: 0, updated: 0, unchanged: published().length }, 'importing it again changes nothing')

  const docs = await target.db.query(`SELECT s.source_id, s.name, s.categories, s.needs, s.audience, s.delivery, s.accessibility, s.group_size, s.languages,
      s.min_age, s.max_age, s.cost_free, s.cost_amount_pence, s.cost_per, s.contact_phone, s.contact_email, s.area_type,
      (SELECT json_agg(json_build_object('frequency', ss.frequency, 'days', ss.days, 'week_of_month', ss.week_of_month, 'date', ss.date::text,
         'starts', to_char(ss.starts, 'HH24:MI'), 'ends', to_char(ss.ends, 'HH24:MI'), 'valid_from', ss.valid_from::text, 'valid_to', ss.valid_to::text,
         'venue', v.name, 'postcode', v.postcode, 'lat', ST_Y(v.location::geometry), 'lon', ST_X(v.location::geometry), 'access', v.accessibility) ORDER BY ss.position)
       FROM sessions ss LEFT JOIN venues v ON v.id = ss.venue_id WHERE ss.scheme_id = s.id) AS sessions
    FROM schemes s`)
  for (const spec of published()) {
    const d = docs.find((x: any) => x.name === spec.name)
    t.ok(d, spec.name)
    if (!d) continue
    t.match(d, {
      categories: spec.categories, needs: spec.needs ?? [], audience: spec.audience ?? [], delivery: spec.delivery ?? ['in_person'],
      accessibility: spec.accessibility ?? [], languages: spec.languages ?? ['en'], cost_free: spec.cost?.free ?? true,
    }, `${spec.name}: scheme fields`)
    t.equal(d.min_age, spec.min_age ?? null)
    t.equal(d.max_age, spec.max_age ?? null)
    t.equal(d.group_size, spec.group_size ?? null)
    t.equal(d.cost_amount_pence, spec.cost?.amount_pence ?? null)
    t.equal(d.contact_phone, spec.contact?.phone ?? null)
    t.equal(d.area_type, spec.area ? (spec.area.type === 'national' ? 'national' : 'polygon') : null, 'a radius comes back as its polygon')
    const want = currentSessions(spec).filter((ss) => !ss.venue || !VENUES.find((v) => v.key === ss.venue)!.deleted)
    t.same((d.sessions ?? []).map((s: any) => [s.frequency, s.days.join(','), s.week_of_month, s.date, s.starts, s.ends, s.valid_from, s.valid_to, s.venue]),
      want.map((ss) => [ss.frequency, (ss.days ?? []).join(','), ss.week_of_month ?? null, ss.date ?? null, ss.starts, ss.ends,
        ss.frequency === 'once' ? null : ss.valid_from ?? null, ss.frequency === 'once' ? null : ss.valid_to ?? null, ss.venue ? VENUES.find((v) => v.key === ss.venue)!.name : null]),
      `${spec.name}: its current sessions`)
    for (const s of d.sessions ?? []) {
      if (!s.venue) continue
      const v = VENUES.find((x) => x.name === s.venue)!
      t.match(s, { postcode: v.postcode, access: v.accessibility }, `${spec.name} @ ${v.name}`)
      t.ok(Math.abs(s.lat - v.lat) < 1e-6 && Math.abs(s.lon - v.lon) < 1e-6)
    }
  }
  await walkFeed(t, target.app, { services: published().length, sals: publishedPairs().length })
})
