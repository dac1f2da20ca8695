import t from 'tap'
import { normalisePostcode, isValidFullPostcode, resolvePostcode, loadPostcodeTable } from '../../src/geo/postcodes.ts'

const near = (a: number, b: number, eps = 2e-5) => Math.abs(a - b) <= eps

t.test('a full postcode resolves to its own centroid', async (t) => {
  const before = process.memoryUsage()
  const started = performance.now()
  await loadPostcodeTable()
  const ms = performance.now() - started
  const after = process.memoryUsage()
  const table = await loadPostcodeTable()
  const kept = table.keys.byteLength + table.lat.byteLength + table.lon.byteLength
  t.comment(`full postcode table: ${table.keys.length} postcodes loaded in ${ms.toFixed(0)} ms; kept ${(kept / 1e6).toFixed(1)} MB; ` +
    `peak while loading +${((after.arrayBuffers - before.arrayBuffers) / 1e6).toFixed(1)} MB array buffers, +${((after.rss - before.rss) / 1e6).toFixed(1)} MB RSS`)

  const r = await resolvePostcode('SW1A 1AA')
  t.ok(r.ok)
  if (!r.ok) return
  // SOURCE.md gives Buckingham Palace as 51.501009, -0.141588; the unit file keeps 5 decimals (~1 m)
  t.ok(near(r.lat, 51.501009) && near(r.lon, -0.141588), `${r.lat},${r.lon}`)
  t.equal(r.precision, 'postcode')
  t.equal(r.normalised, 'SW1A 1AA')
  t.same(await resolvePostcode('SE15 4AA'), { ok: true, lat: 51.46744, lon: -0.07386, precision: 'postcode', normalised: 'SE15 4AA' })
  // the first and last keys of the sorted table
  t.match(await resolvePostcode('AB10 1AB'), { ok: true, lat: 57.14961, lon: -2.09692 })
  t.match(await resolvePostcode('ZE3 9JZ'), { ok: true, precision: 'postcode' })
})

t.test('any case and spacing', async (t) => {
  for (const v of ['sw1a1aa', '  SW1A   1AA ', 'Sw1a 1aA', 'SW1A1AA', 'sw1 a1aa', '\tsw1a\n1aa']) {
    t.match(await resolvePostcode(v), { ok: true, precision: 'postcode', normalised: 'SW1A 1AA' }, JSON.stringify(v))
  }
  t.same(normalisePostcode('se154aa'), { text: 'SE15 4AA', kind: 'postcode' })
  t.same(normalisePostcode(' se15 4 '), { text: 'SE15 4', kind: 'sector' })
  t.same(normalisePostcode('se154'), { text: 'SE15 4', kind: 'sector' })
  t.same(normalisePostcode('se15'), { text: 'SE15', kind: 'district' })
  // a typed space decides; without one a district reading wins
  t.same(normalisePostcode('e1 4'), { text: 'E1 4', kind: 'sector' })
  t.same(normalisePostcode('e14'), { text: 'E14', kind: 'district' })
  t.same(normalisePostcode('w1a 0ax'), { text: 'W1A 0AX', kind: 'postcode' })
})

t.test('sector and district fallbacks', async (t) => {
  const sector = await resolvePostcode('se15 4')
  t.same(sector, { ok: true, lat: 51.466263, lon: -0.070785, precision: 'sector', normalised: 'SE15 4' }, 'sectors.csv row SE15 4')
  t.same(await resolvePostcode('SE15'), { ok: true, lat: 51.472807, lon: -0.065663, precision: 'district', normalised: 'SE15' }, 'outcodes.csv row SE15')
  // SE15 4ZZ is well formed but not a unit: the sector's centroid is used
  t.same(await resolvePostcode('se15 4zz'), { ok: true, lat: 51.466263, lon: -0.070785, precision: 'sector', normalised: 'SE15 4ZZ' })
  // SE15 8 is not a sector: the district's centroid is used, for a sector or a full postcode
  t.match(await resolvePostcode('SE15 8'), { ok: true, precision: 'district', normalised: 'SE15 8', lat: 51.472807 })
  t.match(await resolvePostcode('SE15 8AA'), { ok: true, precision: 'district', normalised: 'SE15 8AA', lat: 51.472807 })
})

t.test('not found, not covered, malformed', async (t) => {
  const unknown = await resolvePostcode('YY99 9YY')
  t.match(unknown, { ok: false, reason: 'not_found' })
  if (!unknown.ok) t.match(unknown.message, /That postcode was not found/)
  t.match(await resolvePostcode('YY9'), { ok: false, reason: 'not_found' }, 'a district shape that does not exist')

  const ni = await resolvePostcode('BT1 1AA')
  t.same(ni, { ok: false, reason: 'northern_ireland', message: 'Northern Ireland (BT) postcodes are not covered: the directory uses OS Code-Point Open, which covers Great Britain only. Give lat and lon instead.' })
  t.match(await resolvePostcode('bt7'), { ok: false, reason: 'northern_ireland' })
  for (const v of ['GY1 1AA', 'JE2 3AB', 'im1 1aa']) t.match(await resolvePostcode(v), { ok: false, reason: 'not_covered', message: /Channel Islands/ }, v)

  // tried: empty, blank, words, digits only, letters only, too long, an inward code alone,
  // a letter never used in the inward code (I), punctuation, three-letter area
  for (const v of ['', '   ', 'hello', '12345', 'SWAA', 'SW1A 1AA 1AA', '1AA', 'SW1A 1AI', 'SW1A-1AA', 'ABC1 1AA', 'x'.repeat(200)]) {
    const r = await resolvePostcode(v)
    t.match(r, { ok: false, reason: 'malformed' }, JSON.stringify(v.slice(0, 20)))
    if (!r.ok) t.ok(r.message.length < 200, 'the message stays short')
    t.equal(normalisePostcode(v), null)
  }
})

t.test('isValidFullPostcode', async (t) => {
  for (const v of ['SW1A 1AA', 'sw1a1aa', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'W1A 0AX', 'EC1A 1BB', 'bt1 1aa']) t.ok(isValidFullPostcode(v), v)
  for (const v of ['SW1A', 'SW1A 1', 'SW1A 1A', 'QW1 1AA', 'SW1A 1AK', '', 'nope']) t.notOk(isValidFullPostcode(v), v)
})
