/**
 * Suggestions of an empty first page (src/search/suggestions.ts) on small hand-made data: the
 * nearest matches beyond the radius (order, at most 3, within 50 km, in person only, each
 * scheme's nearest matching venue beyond the radius on the ellipsoid) and the count of matches
 * within the radius without each asked filter (the cap, the order, what is left out). The clock
 * is pinned at Tuesday 24 November 2026, 12:00 UK.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { build } from '../helper.ts'
import { pinnedApp } from '../oracle/app.ts'
import { destination, distance, type LatLon } from '../oracle/geodesic.ts'
import { insertOrganisation, insertScheme, insertVenue, updateScheme, type SchemeRow, type SessionRow } from '../fixtures/sql.ts'
import { planSearch } from '../../src/search/plan.ts'
import { nearestStatement, WITHOUT_CAP, WITHOUT_MAX_FILTERS } from '../../src/search/suggestions.ts'
import type { SearchRow } from '../../src/search/request.ts'

const NOW = new Date('2026-11-24T12:00:00Z')
const O = { lat: 51.4663, lon: -0.0708 }
const PLACE = `lat=${O.lat}&lon=${O.lon}`
const at = (bearing: number, metres: number) => destination(O, bearing, metres)
const tue = (venue_id: string | null): SessionRow[] => [{ venue_id, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00' }]

async function setup(t: any) {
  const { db } = await build(t)
  const app = await pinnedApp(t, db, NOW)
  const org = await insertOrganisation(db, 'Southwark Friends')
  const where = new Map<string, LatLon>()
  const venue = async (p: LatLon, accessibility: string[] = []) => {
    const { id } = await insertVenue(db, { organisation_id: org.id, ...p, accessibility })
    where.set(id, p)
    return id
  }
  const scheme = (name: string, sessions: SessionRow[], extra: Partial<SchemeRow> = {}) =>
    insertScheme(db, { organisation_id: org.id, name, categories: ['walking'], sessions, ...extra })
  const search = async (qs: string) => {
    const res = await app.inject(`/pinned/v1/schemes?${qs}`)
    if (res.statusCode !== 200) throw new Error(`${qs}: ${res.statusCode} ${res.body}`)
    return res.json()
  }
  /** the venue's geodesic distance from O as PostGIS computes it */
  const exactly = async (v: string) => (await db.query<{ d: number }>(sql`SELECT ST_Distance(location,
    ST_SetSRID(ST_MakePoint(${O.lon}::float8, ${O.lat}::float8), 4326)::geography) AS d FROM venues WHERE id = ${v}::uuid`))[0].d
  return { db, org, venue, scheme, search, where, exactly }
}

t.test('nearest: matches beyond the radius, nearest first (ties by id), at most 3, in person, within 50 km', async (t) => {
  const { org, venue, scheme, search, where } = await setup(t)
  const v1000 = await venue(at(0, 1000))
  const v2500 = await venue(at(90, 2500))
  const v3000 = await venue(at(180, 3000))
  const v4000 = await venue(at(270, 4000))
  const v6000 = await venue(at(45, 6000))
  await scheme('Gardeners', tue(v1000), { categories: ['gardening'] })
  await scheme('Wednesday walk', [{ ...tue(v2500)[0], days: ['wed'] }])
  const ties = [await scheme('Tie one', tue(v3000)), await scheme('Tie two', tue(v3000))].sort((a, b) => (a.id < b.id ? -1 : 1))
  const four = await scheme('Four km', tue(v4000))
  await scheme('Six km', tue(v6000))
  await scheme('Walk line', tue(null), { delivery: ['telephone'], service_area: { type: 'national' } })

  const page = await search(`${PLACE}&radius_m=2000&category=walking&days=tue`)
  const nearest = page.suggestions.nearest
  const venueOf = new Map([[ties[0].id, v3000], [ties[1].id, v3000], [four.id, v4000]])
  for (const n of nearest) {
    const d = distance(O, where.get(venueOf.get(n.id)!)!)
    t.ok(Math.abs(n.distance_m - d) <= d * 0.001, `${n.name}: distance_m ${n.distance_m} is the geodesic ${d.toFixed(3)}`)
  }
  const organisation = { id: org.id, name: org.name }
  t.same(page, {
    items: [], next_cursor: null, origin: { ...O, precision: 'coordinates' },
    suggestions: {
      nearest: [...ties, four].map((s, i) => ({ id: s.id, name: s.name, organisation, distance_m: nearest[i]?.distance_m })),
      // without days: the Wednesday walk is beyond 2 km, so that entry finds nothing and is left out
      without: [{ without: 'category=walking', matches: 1, capped: false }],
    },
  }, 'the three nearest walks on a Tuesday beyond 2 km (the six-km one is the fourth; the wrong day and the helpline never); the gardeners inside')

  t.same((await search(`${PLACE}&radius_m=3500&category=walking&days=tue`)).items.map((i: any) => i.name), ties.map((s) => s.name))
  const wider = await search(`${PLACE}&radius_m=3500&category=walking&days=tue&period=morning`)
  t.same(wider.suggestions.nearest, [], 'nothing in the morning anywhere')
  t.same(wider.suggestions.without, [{ without: 'period=morning', matches: 2, capped: false }])

  const remote = await search(`${PLACE}&radius_m=2000&delivery=telephone&days=wed`)
  t.same(remote.suggestions, { nearest: [], without: [{ without: 'days=wed', matches: 1, capped: false }] },
    'in_person not asked: no nearest; without the day the helpline covers the place')
})

t.test('nearest: within 50 km of the place, and none when the radius reaches 50 km', async (t) => {
  const { venue, scheme, search } = await setup(t)
  const near = await scheme('Shed at 49 km', tue(await venue(at(300, 49000))), { categories: ['mens_shed'] })
  await scheme('Shed at 51 km', tue(await venue(at(120, 51000))), { categories: ['mens_shed'] })
  t.same((await search(`${PLACE}&category=mens_shed`)).suggestions.nearest.map((n: any) => n.id), [near.id])
  t.same((await search(`${PLACE}&radius_m=48000&category=mens_shed`)).suggestions.nearest.map((n: any) => n.name), ['Shed at 49 km'])
  t.same((await search(`${PLACE}&radius_m=50000&category=mens_shed&days=mon`)).suggestions.nearest, [], 'radius 50 km: nothing is nearer beyond it')
})

t.test('nearest: a scheme counts only when its nearest matching venue is beyond the radius, exactly where the search stops', async (t) => {
  // the nearest statement run on searches that do find schemes, to see what it leaves out
  const { db, venue, scheme, search, exactly } = await setup(t)
  const inside = await venue(at(0, 1000))
  const alsoInside = await venue(at(90, 1500))
  const outside = await venue(at(180, 3000))
  const edge = await venue(at(270, 2000))
  await scheme('Inside', tue(inside))
  await scheme('Both', [...tue(alsoInside), ...tue(outside)])
  await scheme('Out', tue(outside))
  await scheme('Edge', tue(edge))
  const nearest = async (radius: number) => {
    const plan = await planSearch(db, { lat: O.lat, lon: O.lon, radius_m: radius, days: 'tue' }, NOW)
    if (!plan.ok) throw plan.error
    return (await db.query<SearchRow>(nearestStatement(plan.request)!)).map((row) => JSON.parse(row.doc).name)
  }
  const names = async (radius: number) => (await search(`${PLACE}&radius_m=${radius}&days=tue`)).items.map((i: any) => i.name)
  const r = await exactly(edge)
  t.same(await names(r + 0.01), ['Inside', 'Both', 'Edge'])
  t.same(await nearest(r + 0.01), ['Out'], 'Both is nearest inside, Edge inside: neither is beyond')
  t.same(await names(r - 0.01), ['Inside', 'Both'])
  t.same(await nearest(r - 0.01), ['Edge', 'Out'], 'a centimetre less and Edge is beyond')
  // at the edge itself PostGIS's radius test decides (its distance and its radius test may differ in the last digits): in one or the other, never both
  const [items, beyond] = [await names(r), await nearest(r)]
  t.equal(Number(items.includes('Edge')) + Number(beyond.includes('Edge')), 1, `radius ${r}: Edge is inside or beyond, not both`)
})

t.test('without: per filter, all-of codes one by one, most matches first, capped at 50, nothing for a filter that alone finds nothing', async (t) => {
  const { db, venue, scheme, search } = await setup(t)
  const both = await venue(at(0, 300), ['step_free', 'seating'])
  const stepFree = await venue(at(90, 400), ['step_free'])
  const seating = await venue(at(180, 500), ['seating'])
  const walks = []
  for (let i = 0; i < WITHOUT_CAP + 1; i++) walks.push(await scheme(`Walk ${i}`, tue(both)))
  await scheme('Shed, step-free', tue(stepFree), { categories: ['mens_shed'] })
  await scheme('Shed two, step-free', tue(stepFree), { categories: ['mens_shed'] })
  await scheme('Shed, seating', tue(seating), { categories: ['mens_shed'] })
  await scheme('Shed on Wednesdays', [{ ...tue(both)[0], days: ['wed'] }], { categories: ['mens_shed'] })
  await scheme('Shed far away', tue(await venue(at(0, 1500), ['step_free', 'seating'])), { categories: ['mens_shed'] })

  const qs = `${PLACE}&radius_m=1000&category=mens_shed&accessibility=step_free,seating&days=tue&free=true`
  const page = await search(qs)
  t.same(page.items, [])
  t.same(page.suggestions.without, [
    { without: 'category=mens_shed', matches: 50, capped: true },
    { without: 'accessibility=seating', matches: 2, capped: false },
    { without: 'days=tue', matches: 1, capped: false },
    { without: 'accessibility=step_free', matches: 1, capped: false },
  ], '51 walks: 50, capped; ties in the order of the parameters; free=true alone finds nothing and is not listed')
  t.same(page.suggestions.nearest.map((n: any) => n.name), ['Shed far away'])

  await updateScheme(db, walks[0].id, { status: 'paused' })
  t.same((await search(qs)).suggestions.without[0], { without: 'category=mens_shed', matches: 50, capped: false }, 'exactly 50: not capped')

  const nine = ['step_free', 'seating', 'hearing_loop', 'quiet_space', 'large_print', 'easy_read', 'bsl', 'accessible_toilet', 'changing_places']
  t.equal(nine.length, WITHOUT_MAX_FILTERS + 1)
  const many = await search(`${PLACE}&radius_m=1000&accessibility=${nine.join(',')}`)
  t.same(many.suggestions, { nearest: [] }, `more than ${WITHOUT_MAX_FILTERS} filters: no counts`)
  const eight = await search(`${PLACE}&radius_m=1000&accessibility=${nine.slice(0, 8).join(',')}`)
  t.same(eight.suggestions, { nearest: [], without: [] }, `${WITHOUT_MAX_FILTERS} filters: counted, and no one of them is the cause`)
})
