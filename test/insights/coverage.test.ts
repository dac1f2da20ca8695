/**
 * Coverage against an independent computation: a generated directory of venues around
 * Southwark and Leeds (evening sessions at some, morning at others), and for every postcode
 * sector the haversine distance to each venue with an evening session, in plain TypeScript.
 * The API's share per authority must be within 0.5 percentage points of the oracle's.
 * Then the map: the SVG opened in chromium has one dot per sector, coloured as the oracle says.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { build, freshDbUrl } from '../helper.ts'
import { connect, type Db } from '../../src/db/client.ts'
import { computeCoverage } from '../../src/insights/coverage.ts'
import { parseSearchParams } from '../../src/search/params.ts'
import { ukDate } from '../../src/domain/schedule.ts'
import { freePort } from '../fixtures/ports.ts'
import { call, createOrganisation, createScheme, createVenue, weekly } from '../fixtures/api.ts'
import { hasChromium, launchChromium, SKIP_BROWSER } from '../fixtures/browser.ts'

// the test's own reading of the data files, and its own distance
const DATA = new URL('../../src/geo/data/', import.meta.url)
const csv = (f: string) => readFileSync(new URL(f, DATA), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
const sectors = csv('sectors.csv').map((f) => ({ sector: f[0], lat: +f[2], lon: +f[3], count: +f[6] }))
const shares = new Map<string, Array<[string, number]>>()
for (const [s, code, share] of csv('sector_authorities.csv')) shares.set(s, [...(shares.get(s) ?? []), [code, +share]])
function haversine(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const r = Math.PI / 180
  const h = Math.sin((b.lat - a.lat) * r / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin((b.lon - a.lon) * r / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h))
}

/** A small seeded generator: the same directory every run. */
function random(seed: number) {
  return () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
}

t.test('coverage per authority matches a haversine oracle on a generated directory', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const rnd = random(16)
  const centres = [{ lat: 51.47, lon: -0.07 }, { lat: 53.8, lon: -1.55 }]
  const evening: Array<{ lat: number; lon: number }> = []
  for (let i = 0; i < 24; i++) {
    const c = centres[i % 2]
    const at = { lat: +(c.lat + (rnd() - 0.5) * 0.2).toFixed(5), lon: +(c.lon + (rnd() - 0.5) * 0.3).toFixed(5) }
    const venue = await createVenue(app, key, { location: at })
    const isEvening = i % 3 !== 0
    await createScheme(app, key, { sessions: [weekly(venue.id, isEvening ? { starts: '18:30', ends: '20:00' } : { starts: '09:00', ends: '10:00' })] })
    if (isEvening) evening.push(at)
  }
  const radius = 3000
  const res = await call(app, 'GET', `/v1/insights/coverage?period=evening&radius_m=${radius}`)
  t.equal(res.statusCode, 200)
  const body = res.json()

  const covered = sectors.map((s) => evening.some((v) => haversine(s, v) <= radius))
  const all = new Map<string, number>()
  const cov = new Map<string, number>()
  sectors.forEach((s, i) => {
    for (const [code, share] of shares.get(s.sector) ?? []) {
      all.set(code, (all.get(code) ?? 0) + s.count * share)
      if (covered[i]) cov.set(code, (cov.get(code) ?? 0) + s.count * share)
    }
  })
  let checked = 0
  for (const a of body.authorities) {
    const expected = (cov.get(a.code) ?? 0) / (all.get(a.code) ?? 1)
    if (expected > 0 || a.covered_share > 0) checked++
    t.ok(Math.abs(a.covered_share - expected) <= 0.005, `${a.code} ${a.name}: ${a.covered_share} vs ${expected.toFixed(4)}`, { skip: false })
  }
  t.ok(checked >= 4, `${checked} authorities with some coverage`)
  t.equal(body.total.schemes, evening.length, 'one matching scheme per evening venue')
  t.equal(body.total.sessions, evening.length)
  const southwark = body.authorities.find((a: any) => a.code === 'E09000028')
  t.ok(southwark.covered_share > 0)

  // the same figures in CSV and GeoJSON
  const csvRes = await call(app, 'GET', `/v1/insights/coverage.csv?period=evening&radius_m=${radius}`)
  t.ok(csvRes.body.includes(`E09000028,Southwark,England,${southwark.schemes},${southwark.sessions},${southwark.postcodes},${southwark.covered_postcodes},${southwark.covered_share}`))
  const geo = (await call(app, 'GET', `/v1/insights/coverage.geojson?period=evening&radius_m=${radius}`)).json()
  t.equal(geo.features.length, body.authorities.length)
  t.same(geo.features.find((f: any) => f.id === 'E09000028').properties, southwark)

  // a write drops the cached answer: a morning-only scheme becomes an evening one
  const venue = await createVenue(app, key, { location: { lat: 57.15, lon: -2.1 } }) // Aberdeen
  await createScheme(app, key, { sessions: [weekly(venue.id, { starts: '19:00', ends: '20:00' })] })
  const after = (await call(app, 'GET', `/v1/insights/coverage?period=evening&radius_m=${radius}`)).json()
  t.ok(after.authorities.find((a: any) => a.code === 'S12000033').covered_share > 0, 'Aberdeen covered after the write')

  // the map, in a browser: one dot per sector, as many green as the oracle covers (within the planar/haversine edge)
  const svg = await call(app, 'GET', `/v1/insights/coverage.svg?period=evening&radius_m=${radius}`)
  t.equal(svg.headers['content-type'], 'image/svg+xml')
  t.ok(svg.body.includes('<title>Coverage within 3 km: period=evening'))
  if (SKIP_BROWSER) { t.comment('SIGNPOST_SKIP_BROWSER=1: the map is not opened in a browser'); return }
  if (!hasChromium()) { t.fail('/usr/bin/chromium is missing: install it or set SIGNPOST_SKIP_BROWSER=1'); return }
  const port = await freePort()
  await app.listen({ port, host: '127.0.0.1' })
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 700, height: 700 } })
  const loaded = await page.goto(`http://127.0.0.1:${port}/v1/insights/coverage.svg?period=evening&radius_m=${radius}`)
  t.equal(loaded?.status(), 200)
  t.equal(await page.locator('circle.sector').count(), sectors.length, 'one dot per postcode sector')
  // drawn: a screenshot (no assertion on its pixels); the shared cores can make it slow
  const shot = await page.screenshot({ timeout: 120000 })
  t.ok(shot.length > 1000, 'a screenshot was taken')
  const green = await page.locator('g.covered circle.sector').count()
  const expectedGreen = covered.filter(Boolean).length + 1 // and Aberdeen's sectors
  t.ok(green >= expectedGreen - 3 && green <= expectedGreen + 60, `${green} covered dots, oracle ${expectedGreen - 1} before Aberdeen`)
  void db
})

t.test('many different coverage questions at once: one computed at a time, eight wait, the rest told to come back', async (t) => {
  const { app, db } = await build(t)
  // On the server, the venues are locked first, so the one computation that starts cannot end
  // before every request has reached the gate: three are refused while nothing else can answer.
  // (Embedded, its one connection is slower than the twelve requests are to arrive.)
  let release = () => {}
  if (db.kind === 'postgres') {
    let locked!: () => void
    const held = new Promise<void>((r) => { release = r })
    const isLocked = new Promise<void>((r) => { locked = r })
    void db.transaction(async (tx) => { await tx.query('LOCK TABLE venues IN ACCESS EXCLUSIVE MODE'); locked(); await held })
    await isLocked
  }
  // twelve filter sets (radii) asked together: none is in the cache
  const asked = Array.from({ length: 12 }, (_, i) => call(app, 'GET', `/v1/insights/coverage?radius_m=${1000 + i * 100}`))
  let refused = 0
  await new Promise<void>((resolve) => asked.forEach((a) => a.then((r) => { if (r.statusCode === 503 && ++refused === 3) resolve() })))
  release()
  const answers = await Promise.all(asked)
  const busy = answers.filter((r) => r.statusCode === 503)
  t.equal(answers.filter((r) => r.statusCode === 200).length, 9, 'the one that ran and the eight that waited')
  t.equal(busy.length, 3)
  for (const r of busy) {
    t.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(r.headers['retry-after'], '10')
    t.match(r.json(), { status: 503, detail: /being computed just now/ })
  }
  t.equal((await call(app, 'GET', '/v1/insights/coverage?radius_m=1000')).statusCode, 200, 'once the others are done, it answers')
})

/**
 * The database as a read replica (DATABASE_READ_URL, a hot standby) gives it: every
 * transaction read-only. Embedded: the one connection is set so; server: the test database's
 * new connections are, through a pool of their own.
 */
async function readOnly(db: Db): Promise<{ ro: Db; done: () => Promise<void> }> {
  if (db.kind === 'pglite') {
    await db.exec('SET default_transaction_read_only = on')
    return { ro: db, done: () => db.exec('SET default_transaction_read_only = off') }
  }
  const url = freshDbUrl(db)!
  const name = new URL(url).pathname.slice(1)
  await db.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`)
  const ro = await connect({ url, poolMax: 2 })
  return { ro, done: async () => { await ro.close(); await db.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`) } }
}

t.test('coverage is computed by reading only, so a read replica can answer it', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key, { location: { lat: 51.47, lon: -0.07 } })
  await createScheme(app, key, { sessions: [weekly(venue.id, { starts: '18:30', ends: '20:00' })] })
  const expected = (await call(app, 'GET', '/v1/insights/coverage?period=evening&radius_m=2000')).json()
  t.ok(expected.total.covered_postcodes > 0)

  const now = new Date()
  const p = parseSearchParams({ period: 'evening', radius_m: 2000 }, ukDate(now))
  if (!p.ok) throw new Error('filters')
  const { ro, done } = await readOnly(db)
  try {
    await t.rejects(ro.query("INSERT INTO organisations (name) VALUES ('No')"), /read-only transaction/, 'this database refuses writes')
    const c = await computeCoverage(ro, p.filters, now)
    t.same(c.total, expected.total, 'the same figures as the API gave')
  } finally {
    await done()
  }
})
