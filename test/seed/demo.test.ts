import t from 'tap'
import { sql } from 'drizzle-orm'
import { freshDb, build, DB_KIND } from '../helper.ts'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { seedDemo, buildDemo } from '../../src/seed/demo.ts'
import { loadPlaces } from '../../src/seed/places.ts'
import { ukToday } from '../../src/seed/random.ts'
import { isValidFullPostcode, resolvePostcode } from '../../src/geo/postcodes.ts'
import { checkConsistency, checkWriteRules } from './consistency.ts'
import type { Db } from '../../src/db/client.ts'

t.test('the demo data: counts, towns, consistency', async (t) => {
  const db = await freshDb(t)
  const written = await seedDemo(db)
  t.ok(written.schemes >= 150, `${written.schemes} schemes`)
  t.ok(written.venues >= 100 && written.organisations >= 100, `${written.organisations} organisations, ${written.venues} venues`)
  const [n] = await db.query(`SELECT (SELECT count(*) FROM schemes) AS schemes, (SELECT count(*) FROM sessions) AS sessions,
    (SELECT count(*) FROM scheme_history) AS history, (SELECT count(*) FROM schemes WHERE source_id NOT LIKE 'demo:%') AS unmarked`)
  t.same(n, { schemes: written.schemes, sessions: n.sessions, history: written.schemes, unmarked: 0 }, 'every scheme written, marked demo and with its create history')

  const towns = await db.query<{ town: string; schemes: number }>(`SELECT v.town, count(DISTINCT ss.scheme_id)::int AS schemes
    FROM venues v JOIN sessions ss ON ss.venue_id = v.id GROUP BY v.town HAVING count(DISTINCT ss.scheme_id) >= 10 ORDER BY v.town`)
  t.same(towns.map((r) => r.town), ['Bristol', 'Glasgow', 'Leeds', 'London', 'Swansea'], 'five towns with at least 10 schemes each')

  await checkConsistency(t, db, ukToday())
  await checkWriteRules(t, db)

  // the variety the brief asks for
  const [v] = await db.query(`SELECT
    (SELECT array_agg(DISTINCT frequency ORDER BY frequency) FROM sessions) AS frequencies,
    (SELECT array_agg(DISTINCT week_of_month ORDER BY week_of_month) FROM sessions) AS weeks,
    (SELECT array_agg(DISTINCT area_type ORDER BY area_type) FROM schemes) AS areas,
    (SELECT array_agg(DISTINCT status ORDER BY status) FROM schemes) AS statuses,
    (SELECT count(*) FROM sessions WHERE starts >= '17:00') AS evening,
    (SELECT count(*) FROM sessions WHERE days && '{sat,sun}') AS weekend,
    (SELECT count(*) FROM schemes WHERE NOT cost_free) AS paid,
    (SELECT count(*) FROM schemes WHERE 'bsl' = ANY(languages)) AS bsl,
    (SELECT count(*) FROM schemes WHERE delivery && '{online}') AS online,
    (SELECT count(*) FROM schemes WHERE delivery && '{telephone}') AS telephone,
    (SELECT count(*) FROM schemes WHERE delivery && '{home_visit}') AS home_visit,
    (SELECT count(*) FROM schemes WHERE last_verified_at < now() - interval '180 days') AS stale,
    (SELECT count(DISTINCT group_size) FROM schemes) AS group_sizes,
    (SELECT count(*) FROM schemes WHERE min_age IS NOT NULL) AS aged`)
  t.same([v.frequencies, v.weeks, v.areas, v.statuses], [['fortnightly', 'monthly', 'once', 'weekly'], [-1, 1, 2, 3, 4, null], ['national', 'polygon', 'radius', null], ['active', 'ended', 'paused']])
  for (const k of ['evening', 'weekend', 'paid', 'bsl', 'online', 'telephone', 'home_visit', 'stale', 'aged']) t.ok(v[k] >= 1, `${k}: ${v[k]}`)
  t.equal(v.group_sizes, 4)

  // venue postcodes: well formed; GB ones at their Code-Point unit; NI ones only placeable by lat/lon
  const venues = await db.query<{ postcode: string; lat: number; lon: number }>(`SELECT postcode, ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lon FROM venues`)
  t.same(venues.filter((x) => !isValidFullPostcode(x.postcode)).map((x) => x.postcode), [], 'every venue postcode is a full postcode')
  let ni = 0
  const far: string[] = []
  for (const x of venues) {
    const r = await resolvePostcode(x.postcode)
    if (!r.ok) { if (r.reason === 'northern_ireland') ni++; else far.push(x.postcode); continue }
    if (r.precision !== 'postcode' || Math.abs(r.lat - x.lat) > 1e-5 || Math.abs(r.lon - x.lon) > 1e-5) far.push(x.postcode)
  }
  t.same(far, [], 'each GB venue sits at its own postcode unit')
  t.equal(ni, 3, 'the three Northern Ireland food banks are loaded')
  t.same(await db.query(`SELECT name FROM organisations WHERE name IN ('Godalming Foodbank', 'Poitiers Care')`), [], 'closed food banks are skipped')

  // several answers near SE15 4 on Tuesday or Thursday evenings, step-free, free, for loneliness
  const origin = await resolvePostcode('SE15 4')
  if (!origin.ok) throw new Error('SE15 4 must resolve')
  // SPEC §3 for postcode=SE15 4&days=tue,thu&period=evening&accessibility=step_free&free=true&need=loneliness
  const rows = await db.query<{ name: string }>(sql`
    SELECT DISTINCT s.name FROM schemes s JOIN sessions ss ON ss.scheme_id = s.id JOIN venues v ON v.id = ss.venue_id
    WHERE s.status = 'active' AND s.deleted_at IS NULL AND v.deleted_at IS NULL AND s.cost_free AND s.needs && '{loneliness}' AND 'in_person' = ANY(s.delivery)
      AND ST_DWithin(v.location, ST_SetSRID(ST_MakePoint(${origin.lon}, ${origin.lat}), 4326)::geography, 5000)
      AND ss.days && '{tue,thu}' AND ss.frequency <> 'once' AND ss.starts < '23:00' AND ss.ends > '17:00'
      AND (v.accessibility || s.accessibility) @> '{step_free}' AND (ss.valid_to IS NULL OR ss.valid_to >= ${ukToday()}::date)
    ORDER BY s.name`)
  t.ok(rows.length >= 5, rows.map((r) => r.name).join(', '))
})

t.test('deterministic and idempotent; edited demo rows are kept', async (t) => {
  const places = await loadPlaces()
  t.same(buildDemo(places, '2026-11-21'), buildDemo(places, '2026-11-21'), 'the same day gives the same data')
  const db = await freshDb(t)
  const first = await seedDemo(db)
  const before = await db.query(`SELECT (SELECT count(*) FROM organisations) o, (SELECT count(*) FROM venues) v, (SELECT count(*) FROM schemes) s, (SELECT count(*) FROM sessions) ss, (SELECT count(*) FROM scheme_history) h`)
  const [edited] = await db.query<{ id: string }>(`UPDATE schemes SET name = 'Renamed by its publisher', version = 2 WHERE name = 'Rye Lane Community Choir' RETURNING id`)
  await db.query(`DELETE FROM sessions WHERE scheme_id = $1 AND position > 0`, [edited.id])
  const sessionsLeft = await db.query(`SELECT count(*) AS n FROM sessions`)
  t.same(await seedDemo(db), { organisations: 0, venues: 0, schemes: 0 }, 'a second run writes nothing')
  t.same(await db.query(`SELECT count(*) AS n FROM sessions`), sessionsLeft, 'and adds no sessions back')
  t.same(await db.query(`SELECT name FROM schemes WHERE id = $1`, [edited.id]), [{ name: 'Renamed by its publisher' }], 'the edit is kept')
  await db.query(`UPDATE schemes SET name = 'Rye Lane Community Choir', version = 1 WHERE id = $1`, [edited.id])
  t.same(await db.query(`SELECT (SELECT count(*) FROM organisations) o, (SELECT count(*) FROM venues) v, (SELECT count(*) FROM schemes) s, (SELECT count(*) FROM sessions) ss, (SELECT count(*) FROM scheme_history) h`), before, 'no duplicate organisations, venues, schemes or history')
  t.ok(first.schemes > 0)
})

t.test('SEED_DEMO at start-up', async (t) => {
  const count = async (db: Db) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schemes'))[0].n
  const start = async (db: Db, SEED_DEMO: string) => {
    const app = await buildApp(loadConfig({ SEED_DEMO, LOG_LEVEL: 'silent' }), { db })
    await app.ready()
    await app.close()
  }

  const auto = await build(t, { SEED_DEMO: 'auto' })
  if (DB_KIND === 'pglite') {
    t.ok(await count(auto.db) >= 150, 'auto: an empty embedded database is filled')
    t.ok(auto.logs.some((l) => l.msg === 'demo data loaded' && l.schemes >= 150), 'and the start-up log says so')
  } else {
    t.equal(await count(auto.db), 0, 'auto: a PostgreSQL server is never filled')
  }

  // a database that already has a scheme (a deleted one, even)
  const db = await freshDb(t)
  await db.query(`INSERT INTO organisations (id, name) VALUES ('00000000-0000-4000-8000-000000000001', 'Someone')`)
  await db.query(`INSERT INTO schemes (organisation_id, name, deleted_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Theirs', now())`)
  await start(db, 'false')
  t.equal(await count(db), 1, 'false: never seeds')
  await start(db, 'auto')
  t.equal(await count(db), 1, 'auto: a database with schemes is left alone')
  await start(db, 'true')
  const seeded = await count(db)
  t.ok(seeded >= 151, 'true: seeds any database')
  await start(db, 'true')
  t.equal(await count(db), seeded, 'true again: no duplicates')
})

t.test("the README's examples find what it says on the demo data", async (t) => {
  const { app, db } = await build(t)
  await seedDemo(db)
  const names = async (query: string) => {
    const res = await app.inject(`/v1/schemes?${query}&limit=100`)
    t.equal(res.statusCode, 200, query)
    return res.json().items.map((i: any) => i.name) as string[]
  }
  const night = await names('postcode=LS1&delivery=telephone,text_chat&days=fri&period=night')
  t.ok(night.includes('Night Owls: late-night listening line'), 'the night line, from Leeds')
  t.ok(night.includes('Always There: 24-hour listening line'), 'the 24-hour line')
  t.notOk(night.includes('Evening Call: telephone befriending'), 'not a line that closes at 21:00')
  t.ok((await names('postcode=SE15%204&accessibility=autism_friendly')).includes('Quiet Saturday Social'), 'an autism-friendly group')
  t.ok((await names('postcode=SE15%204&accessibility=accompaniment')).includes('Walk With Me Peckham'), 'someone to go with you')
  const weekend = await names('postcode=SE15%204&delivery=home_visit,telephone&days=sat,sun&audience=older_people,women')
  t.ok(weekend.includes('Peckham home visiting befrienders'), 'home visits by arrangement at the weekend')
  t.ok(weekend.includes('Always There: 24-hour listening line'), 'and the 24-hour line, open to everyone')
})
