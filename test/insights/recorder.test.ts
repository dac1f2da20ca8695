import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { build, DB_KIND, freshDb, freshDbUrl } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, weekly } from '../fixtures/api.ts'
import { DemandRecorder } from '../../src/insights/recorder.ts'
import { parseSearchParams } from '../../src/search/params.ts'
import type { Db } from '../../src/db/client.ts'

/** Every row of every table and view of the public schema, as text. */
async function everything(db: Db): Promise<string> {
  const tables = await db.query<{ name: string }>(`SELECT quote_ident(table_name) AS name FROM information_schema.tables
    WHERE table_schema = 'public' ORDER BY 1`)
  const out: string[] = []
  for (const { name } of tables) {
    const rows = await db.query<{ r: string }>(`SELECT t::text AS r FROM ${name} t`)
    out.push(...rows.map((x) => `${name}: ${x.r}`))
  }
  return out.join('\n')
}

/** Rows of any geometry or geography column within 50 m of the point. */
async function pointsNear(db: Db, lat: number, lon: number): Promise<string[]> {
  const cols = await db.query<{ t: string; c: string }>(`SELECT quote_ident(f_table_name) AS t, quote_ident(f_geography_column) AS c FROM geography_columns
    WHERE f_table_schema = 'public' UNION ALL
    SELECT quote_ident(f_table_name), quote_ident(f_geometry_column) FROM geometry_columns WHERE f_table_schema = 'public'`)
  const found: string[] = []
  for (const { t, c } of cols) {
    const rows = await db.query(`SELECT 1 FROM ${t} WHERE ST_DWithin(ST_Transform(${c}::geometry, 4326)::geography,
      ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 50)`, [lon, lat])
    if (rows.length) found.push(`${t}.${c}`)
  }
  return found
}

t.test('a search from a full postcode leaves only the aggregate row', async (t) => {
  const { app, db, logs } = await build(t)
  const { key } = await createOrganisation(app)
  // the venue is at SE15 4AA; the search comes from SE15 3AA (51.45932, -0.05687), 1.6 km away
  const venue = await createVenue(app, key)
  await createScheme(app, key, { sessions: [weekly(venue.id)] })
  const found = await call(app, 'GET', '/v1/schemes?postcode=se15%203aa&need=loneliness&days=tue')
  t.equal(found.json().items.length, 1)
  const none = await call(app, 'GET', '/v1/schemes?postcode=SE153AA&need=debt')
  t.equal(none.json().items.length, 0)
  // a next page is the same search: not counted again
  await app.demand!.flush()

  const rows = await db.query(`SELECT day::text, area, needs, categories, periods, days, accessibility, delivery, free, audience, found, searches
    FROM demand_daily ORDER BY found`)
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' })
  t.same(rows, [
    { day: today, area: 'E09000028', needs: ['debt'], categories: [], periods: [], days: [], accessibility: [], delivery: ['in_person'], free: null,
      audience: [], found: false, searches: 1 },
    { day: today, area: 'E09000028', needs: ['loneliness'], categories: [], periods: [], days: ['tue'], accessibility: [], delivery: ['in_person'],
      free: null, audience: [], found: true, searches: 1 },
  ])
  const all = await everything(db)
  for (const needle of ['SE15 3AA', 'SE153AA', 'se15 3aa', 'SE15 3', '51.459', '-0.056', '-0.057']) t.notOk(all.includes(needle), `no ${needle} in any table`)
  t.same(await pointsNear(db, 51.45932, -0.05687), [], 'no stored point at the searched place')
  const logged = JSON.stringify(logs)
  for (const needle of ['SE15 3AA', 'SE153AA', 'se15%203aa', '51.459']) t.notOk(logged.includes(needle), `no ${needle} in the logs`)
})

t.test('DEMAND_RECORDING=false counts nothing', async (t) => {
  const { app, db } = await build(t, { DEMAND_RECORDING: 'false' })
  t.equal(app.demand, null)
  t.equal((await call(app, 'GET', '/v1/schemes?postcode=SE15%203AA')).statusCode, 200)
  await app.close()
  t.same(await db.query('SELECT * FROM demand_daily'), [])
})

t.test('coordinates: the nearest sector\'s authority; outside GB, no authority', async (t) => {
  const db = await freshDb(t)
  const rec = new DemandRecorder(db, { maxKeys: 100, flushIntervalMs: 60000 })
  t.teardown(() => rec.close())
  const seen = (q: Record<string, unknown>) => {
    const p = parseSearchParams(q, '2026-12-03')
    if (!p.ok) throw new Error(JSON.stringify(p.errors))
    return { filters: p.filters, today: '2026-12-03', found: false }
  }
  rec.record(seen({ lat: 55.9533, lon: -3.1883 })) // Edinburgh
  rec.record(seen({ lat: 54.597, lon: -5.93 })) // Belfast: no GB authority
  rec.record(seen({ postcode: 'CF10 1EP' }))
  rec.record(seen({ q: 'walk' })) // no place: not demand in an area
  await rec.flush()
  const rows = await db.query<{ area: string; searches: number }>('SELECT area, searches FROM demand_daily ORDER BY area')
  t.same(rows, [{ area: '', searches: 1 }, { area: 'S12000036', searches: 1 }, { area: 'W06000015', searches: 1 }])
})

t.test('bounded memory: past maxKeys a new key is not counted, and a write starts', async (t) => {
  const db = await freshDb(t)
  const rec = new DemandRecorder(db, { maxKeys: 2, flushIntervalMs: 60000 })
  t.teardown(() => rec.close())
  const p = (need: string) => {
    const r = parseSearchParams({ postcode: 'SE15 4', need }, '2026-12-03')
    if (!r.ok) throw new Error('bad')
    return { filters: r.filters, today: '2026-12-03', found: true }
  }
  rec.record(p('debt'))
  await rec.flush() // the tables are in; the next records are synchronous
  rec.record(p('debt'))
  rec.record(p('loneliness'))
  rec.record(p('loneliness'))
  rec.record(p('bereavement')) // a third key: dropped, and a write begins
  t.equal(rec.dropped, 1)
  await rec.flush()
  t.same(await db.query('SELECT needs, searches FROM demand_daily ORDER BY needs'), [
    { needs: ['debt'], searches: 2 }, { needs: ['loneliness'], searches: 2 }])
})

t.test('two processes recording at once lose nothing that was flushed', async (t) => {
  const db = await freshDb(t)
  const url = freshDbUrl(db)
  const rounds = 20
  const perRound = 50
  if (DB_KIND === 'postgres' && url) {
    const script = fileURLToPath(new URL('./demand-writer.ts', import.meta.url))
    const run = () => new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import=tsx', script, url, String(rounds), String(perRound)], { stdio: ['ignore', 'inherit', 'inherit'] })
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))))
    })
    await Promise.all([run(), run()])
  } else {
    // one embedded database belongs to one process: two recorders on it, flushing in turn
    const { writeDemand } = await import('./demand-writer.ts')
    await Promise.all([writeDemand(db, rounds, perRound), writeDemand(db, rounds, perRound)])
  }
  const [{ total, rows }] = await db.query<{ total: number; rows: number }>('SELECT sum(searches)::int AS total, count(*)::int AS rows FROM demand_daily')
  t.equal(total, 2 * rounds * perRound, 'every search counted once')
  t.equal(rows, 10, 'one row per key')
})
