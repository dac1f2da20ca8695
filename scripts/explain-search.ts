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
import { searchStatement, type SearchRequest } from '../src/repositories/search.ts'
import { parseSearchParams } from '../src/domain/search-params.ts'
import { ukDate } from '../src/domain/schedule.ts'

export const SHAPES: Array<{ name: string; query: Record<string, unknown> }> = [
  { name: 'place + session and scheme filters (the link worker\'s question)', query: { lat: 51.466263, lon: -0.070785, days: 'tue,thu', period: 'evening', accessibility: 'step_free', free: true, need: 'loneliness' } },
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
 * them also by telephone, nationally.
 */
export async function seedSynthetic(db: Db, rows: number): Promise<void> {
  await db.query(sql`INSERT INTO organisations (name) SELECT 'Organisation ' || g FROM generate_series(1, ${Math.max(1, Math.ceil(rows / 20))}::int) g`)
  await db.query(sql`INSERT INTO venues (organisation_id, name, line1, town, postcode, location, accessibility)
    SELECT o.id, 'Venue ' || g, '1 High Street', 'London', 'SE15 4AA',
      CASE WHEN g % 5 = 0 THEN ST_SetSRID(ST_MakePoint(-0.07 + (random() - 0.5) * 0.4, 51.47 + (random() - 0.5) * 0.25), 4326)
        ELSE ST_SetSRID(ST_MakePoint(-5.5 + random() * 7.2, 50.2 + random() * 5.3), 4326) END::geography,
      CASE WHEN g % 3 = 0 THEN '{step_free,hearing_loop}'::text[] WHEN g % 3 = 1 THEN '{step_free}' ELSE '{}' END
    FROM generate_series(1, ${rows}::int) g
    JOIN LATERAL (SELECT id FROM organisations ORDER BY id OFFSET (g % (SELECT count(*) FROM organisations)) LIMIT 1) o ON true`)
  await db.query(sql`INSERT INTO schemes (organisation_id, name, description, categories, needs, delivery, cost_free, accessibility, source_id)
    SELECT v.organisation_id, 'Scheme ' || v.name, CASE WHEN random() < 0.2 THEN 'A gentle walk' ELSE 'Tea and company' END,
      (ARRAY['{walking}', '{music_singing}', '{befriending}', '{cookery}'])[1 + floor(random() * 4)::int]::text[],
      (ARRAY['{loneliness}', '{anxiety}', '{mobility}'])[1 + floor(random() * 3)::int]::text[],
      CASE WHEN random() < 0.1 THEN '{in_person,telephone}' ELSE '{in_person}' END::text[],
      random() < 0.6, CASE WHEN random() < 0.1 THEN '{bsl}' ELSE '{}' END::text[], v.id::text
    FROM venues v`)
  await db.query(sql`UPDATE schemes SET area_type = 'national', area_doc = '{"type":"national"}' WHERE 'telephone' = ANY(delivery)`)
  await db.query(sql`INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, starts, ends)
    SELECT s.id, k, s.source_id::uuid, 'weekly', ARRAY[(ARRAY['mon','tue','wed','thu','fri','sat','sun'])[1 + floor(random() * 7)::int]],
      make_time(h, 0, 0), make_time(h + 1, 30, 0)
    FROM schemes s, generate_series(0, 1) k, LATERAL (SELECT 8 + floor(random() * 13)::int + 0 * k AS h) t`)
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
      'EXPLAIN ANALYZE of the one statement each main search shape runs (src/repositories/search.ts),',
      `made by \`scripts/explain-search.ts\` on a synthetic directory of ${rows} venues and schemes (two sessions each),`,
      `a fifth of them within about 15 km of Peckham and the rest over England and Wales, on ${version}.`,
      'Timings are from a shared 2-core machine: read them for the shape of the plan, not the milliseconds.',
      'test/routes/search-plan.test.ts checks that a place search uses the GiST index on `venues.geom`.',
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
