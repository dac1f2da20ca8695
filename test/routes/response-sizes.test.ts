/**
 * Response amplification (issue 12, OWASP API4): a service area is bounded (2,000 positions,
 * 100 KB of GeoJSON), search items carry its bbox and a link instead of the outline, and the
 * history is paged (at most 10 versions). The largest legal answer of each operation stays
 * under the byte limit docs/security.md states ("Response sizes").
 */
import t from 'tap'
import { build } from '../helper.ts'
import { call, createOrganisation, schemeBody, weekly } from '../fixtures/api.ts'
import { insertScheme } from '../fixtures/sql.ts'
import { BODY_LIMIT } from '../../src/app.ts'
import { VOCABULARIES } from '../../src/domain/vocabularies.ts'

// docs/security.md, "Response sizes"
const LIMITS = { serviceArea: 110_000, scheme: 1_600_000, historyPage: 16_000_000, searchPage: 1_000_000 }

/** A ring of `n` positions (closed) around Peckham, with coordinates as long as JSON makes them. */
function ring(n: number, radius = 0.05): number[][] {
  const pts = Array.from({ length: n - 1 }, (_, i) => {
    const a = (2 * Math.PI * i) / (n - 1)
    return [-0.0691 + radius * Math.cos(a) + 1e-13, 51.4735 + radius * Math.sin(a) * 0.62 + 1e-13]
  })
  return [...pts, pts[0]]
}
const polygon = (n: number) => ({ type: 'polygon', geometry: { type: 'Polygon', coordinates: [ring(n)] } })
const remote = (n = 2000) => ({ delivery: ['online'], service_area: polygon(n) })

t.test('service areas are bounded: positions and bytes, each refused with its pointer and limit', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const largest = polygon(2000)
  t.ok(JSON.stringify(largest.geometry).length > 60_000, `the largest legal outline is ${JSON.stringify(largest.geometry).length} bytes`)
  t.equal((await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ ...remote(2000) }) })).statusCode, 201, '2,000 positions are accepted')

  const over = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ ...remote(2001) }) })
  t.equal(over.statusCode, 400)
  t.same(over.json().errors, [{ pointer: '/service_area/geometry/coordinates', message: 'must have at most 2000 positions in all (it has 2001): simplify the outline' }])

  // the case: 38,000 positions, 741 KB (under the 1 MiB body limit)
  const huge = { type: 'polygon', geometry: { type: 'MultiPolygon', coordinates: [[ring(38_000).map(([x, y]) => [Number(x.toFixed(6)), Number(y.toFixed(6))])]] } }
  t.ok(JSON.stringify(huge).length < BODY_LIMIT)
  const big = await call(app, 'POST', '/v1/schemes', { key, body: schemeBody({ delivery: ['online'], service_area: huge }) })
  t.equal(big.statusCode, 400)
  t.same(big.json().errors.map((e: any) => e.pointer).sort(), ['/service_area/geometry', '/service_area/geometry/coordinates'])
  t.match(big.json().errors.find((e: any) => e.pointer === '/service_area/geometry').message, /at most 100 KB of GeoJSON/)
})

t.test('the largest legal answer of each operation stays under its stated limit', async (t) => {
  const { app, db } = await build(t)
  const { organisation, key } = await createOrganisation(app)
  // each session at a venue of its own, each venue as large as a write can make it: a scheme's
  // GET and history list them all (issue 13)
  const venues = await db.query<{ id: string }>(`
    INSERT INTO venues (organisation_id, name, line1, line2, town, postcode, location, accessibility)
    SELECT $1, repeat('n', 200), repeat('a', 500), repeat('b', 500), repeat('t', 500), 'SE15 4AA',
      ST_SetSRID(ST_MakePoint(-0.0686, 51.4703), 4326)::geography, $2::text[]
    FROM generate_series(1, 200) RETURNING id`, [organisation.id, `{${Object.keys(VOCABULARIES.accessibility).join(',')}}`])

  // a scheme as large as a write can be: the largest outline and sessions up to the 1 MiB body limit
  const except = Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10))
  const session = (i: number) => weekly(venues[i].id, { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], except_dates: except.slice(0, 300), notes: `Session ${i} `.padEnd(500, 'x') })
  const body = schemeBody({
    name: 'x'.repeat(200), description: 'y'.repeat(5000), delivery: ['in_person', 'online'], service_area: polygon(2000),
    contact: { phone: '020 7946 0958', email: 'a'.repeat(60) + '@example.org.uk', website: 'https://example.org.uk/' + 'p'.repeat(470) },
    sessions: Array.from({ length: 200 }, (_, i) => session(i)),
  })
  const size = JSON.stringify(body).length
  t.ok(size > BODY_LIMIT * 0.9 && size < BODY_LIMIT, `the body is ${size} bytes, just under the limit`)
  const created = await call(app, 'POST', '/v1/schemes', { key, body })
  t.equal(created.statusCode, 201)
  const id = created.json().id

  const get = await call(app, 'GET', `/v1/schemes/${id}`)
  t.equal(get.statusCode, 200)
  t.equal(get.json().venues.length, 200, 'with its 200 venues')
  t.ok(get.rawPayload.length < LIMITS.scheme, `GET /v1/schemes/{id}: ${get.rawPayload.length} bytes < ${LIMITS.scheme}`)

  const area = await call(app, 'GET', `/v1/schemes/${id}/service_area`)
  t.equal(area.statusCode, 200)
  t.same(area.json(), body.service_area, 'the whole outline, as written')
  t.ok(area.rawPayload.length < LIMITS.serviceArea, `GET /v1/schemes/{id}/service_area: ${area.rawPayload.length} bytes < ${LIMITS.serviceArea}`)

  for (let i = 0; i < 11; i++) t.equal((await call(app, 'POST', `/v1/schemes/${id}/verify`, { key })).statusCode, 200)
  const history = await call(app, 'GET', `/v1/schemes/${id}/history?limit=10`)
  t.equal(history.json().items.length, 10, 'a page holds at most 10 versions')
  t.ok(history.json().next_cursor, 'the rest are on the next page')
  t.ok(history.rawPayload.length < LIMITS.historyPage, `a history page: ${history.rawPayload.length} bytes < ${LIMITS.historyPage}`)
  t.equal((await call(app, 'GET', `/v1/schemes/${id}/history?limit=11`)).statusCode, 400, 'and no more can be asked for')

  // a search page of 100 items, each with the largest outline
  const geometry = polygon(2000)
  for (let i = 0; i < 100; i++) {
    await insertScheme(db, {
      organisation_id: organisation.id, name: `Online ${i}`, description: 'd'.repeat(5000), delivery: ['online'], service_area: geometry as any,
      sessions: [{ venue_id: null, frequency: 'weekly', days: ['tue'], starts: '10:00', ends: '11:00' }],
    })
  }
  const search = await call(app, 'GET', '/v1/schemes?delivery=online&limit=100')
  t.equal(search.statusCode, 200)
  const items = search.json().items
  t.equal(items.length, 100)
  const item = items.find((x: any) => x.name.startsWith('Online '))
  t.same(Object.keys(item.service_area).sort(), ['bbox', 'href', 'type'], 'a bbox and a link, not the outline')
  t.equal(item.service_area.href, `/v1/schemes/${item.id}/service_area`)
  const [xs, ys] = [ring(2000).map((p) => p[0]), ring(2000).map((p) => p[1])]
  const want = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
  t.ok(item.service_area.bbox.every((v: number, i: number) => Math.abs(v - want[i]) < 1e-5), `bbox ${item.service_area.bbox} is the outline's ${want}`)
  t.ok(search.rawPayload.length < LIMITS.searchPage, `a search page of 100: ${search.rawPayload.length} bytes < ${LIMITS.searchPage}`)
})
