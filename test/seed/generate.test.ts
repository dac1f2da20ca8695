import t from 'tap'
import { spawnSync } from 'node:child_process'
import { freshDb } from '../helper.ts'
import { generator } from '../../src/seed/generate.ts'
import { loadGenerated } from '../../src/seed/load.ts'
import { loadPlaces } from '../../src/seed/places.ts'
import { ukToday } from '../../src/seed/random.ts'
import { checkConsistency, checkWriteRules } from './consistency.ts'

t.test('1,000 generated schemes: counts, shape, consistency', async (t) => {
  const db = await freshDb(t)
  const gen = generator(await loadPlaces(), 42, ukToday())
  const batches: number[] = []
  const totals = await loadGenerated(db, gen, 1000, { batch: 300, jobs: 1, onBatch: (done) => batches.push(done) })
  t.same(batches, [300, 600, 900, 1000], 'batches of 300 (a multiple of 4), progress after each')
  t.equal(totals.schemes, 1000)
  t.equal(totals.organisations, 250, 'four schemes an organisation')

  const [c] = await db.query(`SELECT
    (SELECT count(*) FROM schemes) AS schemes, (SELECT count(*) FROM organisations) AS organisations,
    (SELECT count(*) FROM venues) AS venues, (SELECT count(*) FROM sessions) AS sessions`)
  t.same(c, { schemes: 1000, organisations: 250, venues: totals.venues, sessions: totals.sessions }, 'the totals are what was written')

  const perScheme = await db.query(`SELECT min(v) AS min_venues, max(v) AS max_venues, min(n) AS min_sessions, max(n) AS max_sessions, count(*) AS schemes
    FROM (SELECT s.id, (SELECT count(*) FROM venues v WHERE split_part(v.source_id, ':', 4) = split_part(s.source_id, ':', 4)) AS v,
      (SELECT count(*) FROM sessions ss WHERE ss.scheme_id = s.id) AS n
      FROM schemes s WHERE 'in_person' = ANY(s.delivery)) x`)
  t.match(perScheme[0], { min_venues: 1, max_venues: 3, min_sessions: 1, max_sessions: 4 }, `${perScheme[0].schemes} in-person schemes: 1–3 venues and 1–4 sessions`)
  t.same(await db.query(`SELECT v.id FROM venues v WHERE NOT EXISTS (SELECT 1 FROM sessions ss WHERE ss.venue_id = v.id)`), [], 'every venue has a session')
  // the bulk path adds each batch's venue search bits at once (migrations/0008): exactly the recomputed ones
  t.same(await db.query(`SELECT v.id FROM venues v WHERE v.search_bits <> venue_search_bits(v)`), [],
    'every venue\'s search bits are its sessions\' codes')
  const [remote] = await db.query(`SELECT count(*) AS schemes, max((SELECT count(*) FROM sessions ss WHERE ss.scheme_id = s.id)) AS max_sessions,
    count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM sessions ss WHERE ss.scheme_id = s.id)) AS without_sessions
    FROM schemes s WHERE NOT 'in_person' = ANY(s.delivery)`)
  t.ok(remote.schemes > 30 && remote.max_sessions === 1 && remote.without_sessions > 0, `remote-only schemes: ${JSON.stringify(remote)}`)

  const [mix] = await db.query(`SELECT
    (SELECT array_agg(DISTINCT frequency ORDER BY frequency) FROM sessions) AS frequencies,
    (SELECT array_agg(DISTINCT area_type ORDER BY area_type) FROM schemes WHERE area_type IS NOT NULL) AS areas,
    (SELECT array_agg(DISTINCT status ORDER BY status) FROM schemes) AS statuses,
    (SELECT count(*) FROM schemes WHERE deleted_at IS NOT NULL) AS deleted,
    (SELECT count(*) FROM schemes WHERE last_verified_at < now() - interval '180 days') AS stale,
    (SELECT count(*) FROM schemes WHERE NOT cost_free) AS paid,
    (SELECT count(DISTINCT c) FROM schemes, unnest(categories) c) AS categories,
    (SELECT count(*) FROM sessions WHERE starts >= '17:00') AS evening`)
  t.same([mix.frequencies, mix.areas, mix.statuses], [['fortnightly', 'monthly', 'once', 'weekly'], ['national', 'polygon', 'radius'], ['active', 'ended', 'paused']])
  for (const k of ['deleted', 'stale', 'paid', 'evening']) t.ok(mix[k] > 0, `${k}: ${mix[k]}`)
  t.ok(mix.categories >= 30, `${mix.categories} categories in use`)

  // placed where people live: London's postcode areas far outnumber the Highlands and islands
  const [where] = await db.query(`SELECT
    count(*) FILTER (WHERE postcode ~ '^(E|EC|N|NW|SE|SW|W|WC)[0-9]') AS london,
    count(*) FILTER (WHERE postcode ~ '^(IV|KW|HS|ZE)[0-9]') AS highlands, count(*) AS all FROM venues`)
  t.ok(where.london > 5 * where.highlands && where.london > where.all * 0.05, `London ${where.london}, Highlands and islands ${where.highlands} of ${where.all} venues`)

  await checkConsistency(t, db, ukToday())
  await checkWriteRules(t, db)

  const again = await loadGenerated(db, gen, 1000)
  t.same(again, { schemes: 0, organisations: 0, venues: 0, sessions: 0 }, 'the same seed again writes nothing')
})

t.test('deterministic and independent of the batch size', async (t) => {
  const places = await loadPlaces()
  const a = generator(places, 7, '2026-11-21')
  const b = generator(places, 7, '2026-11-21')
  const whole = a.batch(0, 8)
  t.same(b.batch(0, 8), whole, 'the same seed gives the same rows')
  const halves = [b.batch(0, 4), b.batch(4, 4)]
  t.same(halves.flatMap((h) => h.schemes), whole.schemes, 'schemes 0–7 in two batches are the same rows')
  t.same(halves.flatMap((h) => h.sessions), whole.sessions)
  t.notSame(generator(places, 8, '2026-11-21').batch(0, 8).schemes, whole.schemes, 'another seed, other rows')
  t.throws(() => a.batch(2, 4), /multiple of 4/, 'a batch must start on an organisation boundary')
})

t.test('npm run generate: bad arguments are refused with a message', async (t) => {
  // tried: no --schemes, a word, zero, a negative number
  for (const args of [[], ['--schemes', 'lots'], ['--schemes', '0'], ['--schemes', '-5']]) {
    const r = spawnSync(process.execPath, ['--import=tsx', 'scripts/generate.ts', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } })
    t.equal(r.status, 1, args.join(' ') || '(none)')
    t.match(r.stderr, /generate: .*--schemes[^]*usage: npm run generate -- --schemes N/)
  }
})
