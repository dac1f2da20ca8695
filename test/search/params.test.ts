/**
 * The list of filters (params.ts FILTER_PARAMETERS) against the query schema, and the search
 * without each of them (relaxations), which the suggestions of an empty page count.
 */
import t from 'tap'
import { SearchQuery } from '../../src/schemas/search.ts'
import { FILTER_PARAMETERS, parseSearchParams, relaxations, type SearchFilters } from '../../src/search/params.ts'

const TODAY = '2026-11-24'
/** The query parameters that are not filters: the place, the radius, delivery, paging, audience_only (it narrows audience and goes with it) and include_unconfirmed (it widens). */
const NOT_FILTERS = ['lat', 'lon', 'postcode', 'radius_m', 'delivery', 'limit', 'cursor', 'audience_only', 'include_unconfirmed']

function parse(query: Record<string, unknown>): SearchFilters {
  const parsed = parseSearchParams(query, TODAY)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.filters
}

t.test('every query parameter is a filter of the list or one of the few that are not, and each filter of the list is a parameter', async (t) => {
  const listed = Object.values(FILTER_PARAMETERS).map((x) => x.parameter)
  const declared = Object.keys(SearchQuery.properties)
  t.same(declared.filter((p) => !NOT_FILTERS.includes(p)), listed, 'the filters of the list are the query\'s, in its order (the order of ties in `without`)')
  t.equal(new Set(listed).size, listed.length, 'each parameter once')
})

t.test('each filter as the parser sets it is left out by its entry', async (t) => {
  // one value for every filter parameter: then each entry of the list must unset exactly its own field
  const query: Record<string, unknown> = {
    lat: 51.5, lon: -0.1, days: 'tue', period: 'evening', starts_after: '17:00', ends_before: '21:00', date: TODAY, accessibility: 'step_free',
    category: 'walking', need: 'loneliness', audience: 'older_people', group_size: 'small', language: 'en', free: true, max_cost_pence: 500, age: 72,
    self_referral: true, accepting_referrals: true, referral_from: 'gp', has_places: true, q: 'walk', organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', verified_within_days: 180,
  }
  const declared = Object.keys(SearchQuery.properties).filter((p) => !NOT_FILTERS.includes(p))
  t.same(declared.filter((p) => !(p in query)), [], 'the query above asks every filter')
  const f = parse(query)
  const each = relaxations(f)
  t.equal(each.length, Object.keys(FILTER_PARAMETERS).length, 'one relaxation per filter (one code each)')
  for (const [field, { parameter }] of Object.entries(FILTER_PARAMETERS)) {
    const r = each.find((x) => x.without.startsWith(`${parameter}=`))
    if (!t.ok(r, parameter)) continue
    const changed = Object.keys(f).filter((k) => JSON.stringify((f as any)[k]) !== JSON.stringify((r!.filters as any)[k]))
    t.same(changed, [field], `${r!.without}: only ${field} is left out`)
    t.equal((r!.filters as any)[field], null)
  }
})

t.test('all-of codes one by one, any-of lists whole, values as parsed, nothing asked nothing relaxed', async (t) => {
  const f = parse({ postcode: 'SE15 4', accessibility: 'Seating,step_free', category: 'walking,befriending', days: 'thu,tue', free: false, q: ' walk ' })
  t.same(relaxations(f).map((r) => [r.without, r.filters.accessibility, r.filters.categories, r.filters.days, r.filters.free, r.filters.q]), [
    ['days=thu,tue', ['seating', 'step_free'], ['befriending', 'walking'], null, false, 'walk'],
    ['accessibility=seating', ['step_free'], ['befriending', 'walking'], ['thu', 'tue'], false, 'walk'],
    ['accessibility=step_free', ['seating'], ['befriending', 'walking'], ['thu', 'tue'], false, 'walk'],
    ['category=befriending,walking', ['seating', 'step_free'], null, ['thu', 'tue'], false, 'walk'],
    ['free=false', ['seating', 'step_free'], ['befriending', 'walking'], ['thu', 'tue'], null, 'walk'],
    ['q=walk', ['seating', 'step_free'], ['befriending', 'walking'], ['thu', 'tue'], false, null],
  ], 'in the order of the list; codes lower-cased and sorted as the parser leaves them')
  t.same(relaxations(parse({ accessibility: 'seating' }))[0].filters.accessibility, null, 'the last code left out: no accessibility filter at all')
  t.same(relaxations(parse({ postcode: 'SE15 4', radius_m: 2000, delivery: 'in_person', limit: 5 })), [], 'place, radius, delivery and limit are not filters')
})
