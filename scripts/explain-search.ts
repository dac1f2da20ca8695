// npm run-free: `npx tsx scripts/explain-search.ts [--rows N] [--write]` prints (or writes to
// docs/search-plans.md) the EXPLAIN ANALYZE plans of the main search shapes, on a synthetic
// directory around south London made in a fresh database: DATABASE_URL's server (a
// database of its own, dropped afterwards) or the embedded PGlite in memory.
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { connect, type Db } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import type { SearchRequest } from '../src/search/request.ts'
import { searchStatement } from '../src/search/statement.ts'
import { parseSearchParams } from '../src/search/params.ts'
import { Random } from '../src/seed/random.ts'
import { ukDate } from '../src/domain/schedule.ts'
import { lonLatGeography } from '../src/db/spatial.ts'

export const SHAPES: Array<{ name: string; query: Record<string, unknown> }> = [
  { name: 'place + session and scheme filters (the link worker\'s question)', query: { lat: 51.466263, lon: -0.070785, days: 'tue,thu', period: 'evening', accessibility: 'step_free', free: true, need: 'loneliness' } },
  { name: 'place + selective filters in a dense place (few matches among many venues)', query: { lat: 51.5705, lon: -0.1025, radius_m: 13000, days: 'sun', accessibility: 'seating,wheelchair_accessible', free: true, category: 'gardening' } },
  { name: 'place + full text', query: { lat: 51.466263, lon: -0.070785, radius_m: 10000, q: 'walk' } },
  { name: 'no place (by name)', query: { category: 'walking,befriending' } },
  { name: 'remote (online, telephone, home visit) at a place', query: { lat: 51.466263, lon: -0.070785, delivery: 'online,telephone,home_visit' } },
]

/** The search request of a shape, as the route would make it. */
export function shapeRequest(query: Record<string, unknown>, now = new Date()): SearchRequest {
  const parsed = parseSearchParams(query, ukDate(now))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const f = parsed.filters
  const origin = f.place && 'lat' in f.place ? { lat: f.place.lat, lon: f.place.lon } : null
  return { filters: f, origin, after: null, today: ukDate(now), now }
}

/**
 * A synthetic directory: `rows` venues, a fifth of them within about 15 km of Peckham and
 * the rest spread over England and Wales, a scheme with two sessions at each, a tenth of
 * them also by telephone, nationally. Seeded: the same rows every time.
 */
export async function seedSynthetic(db: Db, rows: number, seed = 42): Promise<void> {
  const rng = new Random(seed)
  const random = () => rng.next()
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]
  const orgs = Math.max(1, Math.ceil(rows / 20))
  await db.query(sql`INSERT INTO organisations (name) SELECT 'Organisation ' || g FROM generate_series(1, ${orgs}::int) g`)
  const list = (await db.query<{ id: string }>(sql`SELECT id FROM organisations ORDER BY name`)).map((o) => o.id)
  const venues = []
  const schemes = []
  for (let g = 0; g < rows; g++) {
    const london = g % 5 === 0
    const telephone = random() < 0.1
    venues.push({
      g, org: list[g % list.length],
      lon: london ? -0.07 + (random() - 0.5) * 0.4 : -5.5 + random() * 7.2,
      lat: london ? 51.47 + (random() - 0.5) * 0.25 : 50.2 + random() * 5.3,
      accessibility: pick([['step_free', 'hearing_loop'], ['step_free'], []]),
    })
    schemes.push({
      g, description: random() < 0.2 ? 'A gentle walk' : 'Tea and company',
      categories: [pick(['walking', 'music_singing', 'befriending', 'cookery'])], needs: [pick(['loneliness', 'anxiety', 'mobility'])],
      delivery: telephone ? ['in_person', 'telephone'] : ['in_person'], free: random() < 0.6, accessibility: random() < 0.1 ? ['bsl'] : [],
      sessions: [0, 1].map(() => { const h = 8 + Math.floor(random() * 13); return { day: pick(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), starts: `${h}:00`, ends: `${h + 1}:30` } }),
    })
  }
  await db.query(sql`INSERT INTO venues (organisation_id, name, line1, town, postcode, location, accessibility)
    SELECT r.org, 'Venue ' || r.g, '1 High Street', 'Town', 'SE15 4AA', ${lonLatGeography(sql`r.lon`, sql`r.lat`)}, r.accessibility
    FROM jsonb_to_recordset(${JSON.stringify(venues)}::jsonb) AS r(g int, org uuid, lon float8, lat float8, accessibility text[])`)
  await db.query(sql`INSERT INTO schemes (organisation_id, name, description, categories, needs, delivery, cost_free, accessibility, source_id, area_type, area_doc)
    SELECT v.organisation_id, 'Scheme ' || r.g, r.description, r.categories, r.needs, r.delivery, r.free, r.accessibility, v.id::text,
      CASE WHEN 'telephone' = ANY(r.delivery) THEN 'national' END, CASE WHEN 'telephone' = ANY(r.delivery) THEN '{"type":"national"}'::jsonb END
    FROM jsonb_to_recordset(${JSON.stringify(schemes.map(({ sessions: _s, ...x }) => x))}::jsonb)
      AS r(g int, description text, categories text[], needs text[], delivery text[], free boolean, accessibility text[])
    JOIN venues v ON v.name = 'Venue ' || r.g`)
  const sessions = schemes.flatMap((s) => s.sessions.map((x, k) => ({ g: s.g, k, ...x })))
  await db.query(sql`INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, starts, ends)
    SELECT s.id, r.k, s.source_id::uuid, 'weekly', ARRAY[r.day], r.starts::time, r.ends::time
    FROM jsonb_to_recordset(${JSON.stringify(sessions)}::jsonb) AS r(g int, k int, day text, starts text, ends text)
    JOIN schemes s ON s.name = 'Scheme ' || r.g`)
  await db.exec('ANALYZE')
}

/** EXPLAIN of one shape's statement; options e.g. '(ANALYZE, COSTS OFF)' or '(FORMAT JSON)'. */
export async function explain(db: Db, request: SearchRequest, options: string): Promise<unknown[]> {
  return db.query(sql`EXPLAIN ${sql.raw(options)} ${searchStatement(request)}`)
}

async function main() {
  const args = process.argv.slice(2)
  const rows = Number(args[args.indexOf('--rows') + 1]) || 20000
  const url = process.env.DATABASE_URL
  let db: Db
  let drop: (() => Promise<void>) | undefined
  if (url) {
    const name = `signpost_explain_${process.pid}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    const u = new URL(url)
    u.pathname = '/' + name
    db = await connect({ url: u.toString(), statementTimeoutMs: 600000 })
    drop = async () => { await admin.query(`DROP DATABASE ${name} WITH (FORCE)`); await admin.end() }
  } else {
    db = await connect({})
  }
  try {
    await migrate(db)
    await seedSynthetic(db, rows)
    const [{ version }] = await db.query<{ version: string }>(sql`SELECT version() || ', PostGIS ' || postgis_lib_version() AS version`)
    const out = [
      '# Search plans',
      '',
      'EXPLAIN ANALYZE of the one statement each main search shape runs (src/search/statement.ts),',
      `made by \`scripts/explain-search.ts\` on a synthetic directory of ${rows} venues and schemes (two sessions each),`,
      `a fifth of them within about 15 km of Peckham and the rest over England and Wales, on ${version}.`,
      'Timings are from a shared 2-core machine: read them for the shape of the plan, not the milliseconds.',
      'test/routes/search-plan.test.ts checks that a place search uses the GiST index on `venues.pt`.',
      '',
    ]
    for (const shape of SHAPES) {
      const plan = await explain(db, shapeRequest(shape.query), '(ANALYZE, COSTS OFF, BUFFERS OFF)')
      out.push(`## ${shape.name}`, '', '`' + new URLSearchParams(Object.entries(shape.query).map(([k, v]) => [k, String(v)])).toString() + '`', '', '```')
      out.push(...plan.map((r: any) => r['QUERY PLAN']))
      out.push('```', '')
    }
    const text = out.join('\n')
    if (args.includes('--write')) writeFileSync(new URL('../docs/search-plans.md', import.meta.url), text)
    else console.log(text)
  } finally {
    await db.close()
    await drop?.()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
