/**
 * GET /v1/schemes: which pages carry `suggestions` (src/search/suggestions.ts has what they
 * hold, test/search/suggestions.test.ts checks it): a first page with a place and no items, and
 * no other; a deployment can turn them off (SEARCH_SUGGESTIONS=false).
 */
import t from 'tap'
import { build } from '../helper.ts'
import { destination } from '../oracle/geodesic.ts'
import { insertOrganisation, insertScheme, insertVenue, updateScheme, type SessionRow } from '../fixtures/sql.ts'

const SE15_4 = { lat: 51.466263, lon: -0.070785 } // the sector's centroid
const tue = (venue_id: string): SessionRow[] => [{ venue_id, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00' }]

async function setup(t: any, env: Record<string, string> = {}) {
  const { app, db } = await build(t, env)
  const org = await insertOrganisation(db, 'Peckham Together')
  const venue = (bearing: number, metres: number) =>
    insertVenue(db, { organisation_id: org.id, ...destination(SE15_4, bearing, metres), accessibility: ['step_free'] }).then((v) => v.id)
  const near = await insertScheme(db, { organisation_id: org.id, name: 'Rye Walk', categories: ['walking'], sessions: tue(await venue(20, 400)) })
  const next = await insertScheme(db, { organisation_id: org.id, name: 'Park Walk', categories: ['walking'], sessions: tue(await venue(200, 900)) })
  const far = await insertScheme(db, { organisation_id: org.id, name: 'Palace Shed', categories: ['mens_shed'], sessions: tue(await venue(190, 7000)) })
  const get = async (qs: string) => {
    const res = await app.inject(`/v1/schemes?${qs}`)
    t.equal(res.statusCode, 200, qs)
    return res.json()
  }
  return { app, db, org, near, next, far, get }
}

t.test('a first page with a place and no items carries suggestions; by postcode too', async (t) => {
  const { org, far, get } = await setup(t)
  const page = await get('postcode=SE15%204&category=mens_shed')
  t.match(page, {
    items: [], next_cursor: null, origin: { ...SE15_4, precision: 'sector' },
    suggestions: { nearest: [{ id: far.id, name: 'Palace Shed', organisation: { id: org.id, name: org.name } }],
      without: [{ without: 'category=mens_shed', matches: 2, capped: false }] },
  })
  t.ok(Math.abs(page.suggestions.nearest[0].distance_m - 7000) < 7, `about 7 km (${page.suggestions.nearest[0].distance_m})`)
})

t.test('no suggestions on a page with items, past a cursor, or without a place', async (t) => {
  const { db, next, get } = await setup(t)
  const place = `lat=${SE15_4.lat}&lon=${SE15_4.lon}`
  const found = await get(`${place}&category=walking&limit=1`)
  t.same(found.items.map((i: any) => i.name), ['Rye Walk'])
  t.notOk('suggestions' in found, 'items: no suggestions')
  t.ok(found.next_cursor)
  await updateScheme(db, next.id, { status: 'paused' })
  const after = await get(`${place}&category=walking&limit=1&cursor=${encodeURIComponent(found.next_cursor)}`)
  t.same(after, { items: [], next_cursor: null, origin: { ...SE15_4, precision: 'coordinates' } }, 'an empty page past a cursor: none')
  t.same(await get('category=gardening'), { items: [], next_cursor: null }, 'no place: none')
  t.same(await get('category=music_singing&delivery=online'), { items: [], next_cursor: null }, 'no place, remote: none')
})

t.test('SEARCH_SUGGESTIONS=false: none at all', async (t) => {
  const { get } = await setup(t, { SEARCH_SUGGESTIONS: 'false' })
  t.same(await get(`lat=${SE15_4.lat}&lon=${SE15_4.lon}&category=mens_shed`), { items: [], next_cursor: null, origin: { ...SE15_4, precision: 'coordinates' } })
})
