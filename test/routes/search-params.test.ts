/**
 * GET /v1/schemes parameters: every bad one is a 400 problem+json naming it (never a 500),
 * postcodes are resolved or refused with a 422, and the place never reaches the logs.
 */
import t from 'tap'
import fc from 'fast-check'
import { build } from '../helper.ts'
import { addDays, ukDate } from '../../src/domain/schedule.ts'
import { insertOrganisation, insertScheme, insertVenue } from '../fixtures/sql.ts'

const today = ukDate(new Date())

// [query string, the parameters the 400 must name]
const BAD: Array<[string, string[]]> = [
  ['lat=51.5', ['lon']],
  ['lon=-0.07', ['lat']],
  ['lat=abc&lon=0', ['lat']],
  ['lat=&lon=0', ['lat']],
  ['lat=91&lon=0', ['lat']],
  ['lat=51&lon=-181', ['lon']],
  ['lat=1e309&lon=0', ['lat']],
  ['lat=51&lon=-Infinity', ['lon']],
  ['lat=NaN&lon=0', ['lat']],
  ['postcode=SE15%204&lat=51.4&lon=-0.07', ['postcode']],
  ['postcode=hello', ['postcode']],
  ['postcode=', ['postcode']],
  ['postcode=SE15%204&radius_m=99', ['radius_m']],
  ['lat=51&lon=0&radius_m=200001', ['radius_m']],
  ['lat=51&lon=0&radius_m=1e309', ['radius_m']],
  ['lat=51&lon=0&radius_m=NaN', ['radius_m']],
  ['lat=51&lon=0&radius_m=five', ['radius_m']],
  ['limit=0', ['limit']],
  ['limit=101', ['limit']],
  ['limit=2.5', ['limit']],
  ['limit=1e309', ['limit']],
  ['limit=-Infinity', ['limit']],
  ['days=mon,funday', ['days']],
  ['days=', ['days']],
  ['days=,', ['days']],
  ['days=mon&days=tue', ['days']],
  ['period=dawn', ['period']],
  ['delivery=post', ['delivery']],
  ['accessibility=ramp', ['accessibility']],
  ['category=knitting', ['category']],
  ['need=boredom', ['need']],
  ['audience=aliens', ['audience']],
  ['group_size=huge', ['group_size']],
  ['language=english', ['language']],
  ['starts_after=25:00', ['starts_after']],
  ['starts_after=7:00', ['starts_after']],
  ['starts_after=18:60', ['starts_after']],
  ['ends_before=1800', ['ends_before']],
  ['ends_before=24:00', ['ends_before']],
  ['date=2027-02-30', ['date']],
  ['date=tomorrow', ['date']],
  [`date=${addDays(today, -1)}`, ['date']],
  [`date=${addDays(today, 366)}`, ['date']],
  ['free=maybe', ['free']],
  ['self_referral=yes', ['self_referral']],
  ['accepting_referrals=2', ['accepting_referrals']],
  ['max_cost_pence=-1', ['max_cost_pence']],
  ['max_cost_pence=1.5', ['max_cost_pence']],
  ['max_cost_pence=1e309', ['max_cost_pence']],
  ['age=-1', ['age']],
  ['age=151', ['age']],
  ['verified_within_days=-1', ['verified_within_days']],
  ['verified_within_days=Infinity', ['verified_within_days']],
  ['q=', ['q']],
  [`q=${'x'.repeat(201)}`, ['q']],
  ['organisation_id=42', ['organisation_id']],
  ['organisation_id=urn:uuid:6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', ['organisation_id']],
  ['q=a%00b', ['q']],
  ['postcode=SE15%00', ['postcode']],
  ['cursor=not%20a%20cursor!', ['cursor']],
  ['cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', ['cursor']],
  ['foo=1', ['foo']],
  ['LAT=51&LON=0', ['LAT', 'LON']],
  ['lat=91&lon=0&days=xyz&limit=0&foo=1&date=2020-01-01', ['date', 'days', 'foo', 'lat', 'limit']],
]

t.test('bad parameters: 400 problem+json naming each one', async (t) => {
  const { app } = await build(t)
  for (const [qs, params] of BAD) {
    const res = await app.inject(`/v1/schemes?${qs}`)
    t.equal(res.statusCode, 400, `${qs}: 400`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    const body = res.json()
    t.equal(body.type, '/problems/validation')
    t.same(body.errors.map((e: any) => e.parameter).sort(), params, `${qs}: names ${params}`)
    for (const e of body.errors) t.ok(typeof e.message === 'string' && e.message.length > 3, `${qs}: ${e.parameter} ${e.message}`)
  }
})

t.test('messages list the allowed codes and the date window', async (t) => {
  const { app } = await build(t)
  let e = (await app.inject('/v1/schemes?days=mon,Funday,xday')).json().errors[0]
  t.equal(e.parameter, 'days')
  t.match(e.message, /"funday", "xday".*mon, tue, wed, thu, fri, sat, sun/)
  e = (await app.inject('/v1/schemes?accessibility=step_free,ramp')).json().errors[0]
  t.match(e.message, /"ramp".*step_free, wheelchair_accessible/)
  e = (await app.inject(`/v1/schemes?date=${addDays(today, 400)}`)).json().errors[0]
  t.match(e.message, new RegExp(`${today}.*${addDays(today, 365)}`))
  e = (await app.inject('/v1/schemes?lat=51.5')).json().errors[0]
  t.same(e, { parameter: 'lon', message: 'is required with lat' })
})

t.test('good parameters: any case and spacing of codes and postcodes, the date window ends included', async (t) => {
  const { app } = await build(t)
  for (const qs of ['days=MON,%20sat', 'days=mon,mon', `date=${today}`, `date=${addDays(today, 365)}`, 'limit=1', 'limit=100',
    'lat=51&lon=0&radius_m=100', 'lat=51&lon=0&radius_m=200000', 'starts_after=00:00&ends_before=23:59', 'language=bsl,CY', 'free=false',
    'q=walk&age=0&max_cost_pence=0&verified_within_days=0', 'postcode=se154aa', 'postcode=%20SE15%20%204%20', 'postcode=SE15']) {
    const res = await app.inject(`/v1/schemes?${qs}`)
    t.equal(res.statusCode, 200, `${qs}: ${res.statusCode === 200 ? 'ok' : res.body}`)
  }
})

t.test('postcodes: resolved full → sector → district; Northern Ireland and unknown ones are a 422 naming postcode', async (t) => {
  const { app } = await build(t)
  const origin = async (pc: string) => (await app.inject(`/v1/schemes?postcode=${encodeURIComponent(pc)}`)).json().origin
  t.same(await origin('SE15 4AA'), { lat: 51.46744, lon: -0.07386, precision: 'postcode' })
  t.same(await origin('se154zz'), { lat: 51.466263, lon: -0.070785, precision: 'sector' }, 'an unknown full postcode falls back to its sector')
  t.same(await origin('SE15 4'), { lat: 51.466263, lon: -0.070785, precision: 'sector' })
  t.same(await origin('se15'), { lat: 51.472807, lon: -0.065663, precision: 'district' })
  for (const [pc, why] of [['BT1 1AA', /Northern Ireland/], ['JE2 3AA', /Channel Islands/], ['SE99 9ZZ', /not found/]] as const) {
    const res = await app.inject(`/v1/schemes?postcode=${encodeURIComponent(pc)}`)
    t.equal(res.statusCode, 422, pc)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    const body = res.json()
    t.match(body, { status: 422, detail: why, errors: [{ parameter: 'postcode', message: why }] })
  }
})

t.test('the place is never logged nor stored', async (t) => {
  const { app, db, logs } = await build(t)
  const org = await insertOrganisation(db)
  for (let i = 0; i < 3; i++) {
    const v = await insertVenue(db, { organisation_id: org.id, lat: 51.4671 + i * 0.001, lon: -0.0739 })
    await insertScheme(db, { organisation_id: org.id, name: `Group ${i}`, sessions: [{ venue_id: v.id, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00' }] })
  }
  // every table's whole content, before and after
  const snapshot = async () => {
    const tables = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
    const out: Record<string, string> = {}
    for (const { name } of tables) {
      const [row] = await db.query(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${name}" x`)
      out[name] = row.h
    }
    return out
  }
  const before = await snapshot()
  t.ok(Object.keys(before).length >= 6, 'the tables are there')
  let res = await app.inject('/v1/schemes?postcode=SE15%204AA&limit=1')
  t.equal(res.statusCode, 200)
  const first = res.json()
  t.equal(first.items.length, 1)
  res = await app.inject(`/v1/schemes?postcode=SE15%204AA&limit=1&cursor=${first.next_cursor}`)
  t.equal(res.json().items.length, 1, 'the second page')
  await app.inject('/v1/schemes?lat=51.4669&lon=-0.0735')
  await app.inject('/v1/schemes?postcode=BT1%201AA')
  await app.inject('/v1/schemes?lat=51.4669')
  const text = JSON.stringify(logs)
  t.notMatch(text, /SE15|se15|BT1|51\.467|51\.4669|0\.0735|0\.0739/, 'no postcode or coordinates in any log line')
  t.ok(logs.some((l) => l.req?.url?.includes('postcode=[redacted]')), 'the request lines are there, redacted')
  // the cursor carries the last item's distance, sealed: no digits of it are readable
  const distance = String(first.items[0].distance_m)
  t.notMatch(Buffer.from(first.next_cursor, 'base64url').toString('latin1'), new RegExp(distance.replace('.', '\\.').slice(0, 6)))
  t.same(await snapshot(), before, 'searches write nothing')
})

t.test('fuzz: any value of any parameter is a 200, 400 or 422, never a 500', async (t) => {
  const { app } = await build(t)
  const names = ['lat', 'lon', 'postcode', 'radius_m', 'days', 'period', 'starts_after', 'ends_before', 'date', 'accessibility', 'delivery',
    'category', 'need', 'audience', 'group_size', 'language', 'free', 'max_cost_pence', 'age', 'self_referral', 'accepting_referrals',
    'q', 'organisation_id', 'verified_within_days', 'limit', 'cursor', 'other']
  // values tried: any unicode text, numbers of every size and shape, codes, dates, times, and the edges of each range
  const value = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.double().map(String),
    fc.integer().map(String),
    fc.constantFrom('', ' ', ',', 'mon,', 'NaN', '-0', '1e309', '0x1F', 'true', 'null', '[]', '{}', '%', '24:00', '2026-02-29', 'SE15 4', 'BT1', '-1'),
    fc.uuid(),
  )
  const query = fc.array(fc.tuple(fc.constantFrom(...names), value), { minLength: 1, maxLength: 5 })
  const seen = new Map<number, number>()
  await fc.assert(fc.asyncProperty(query, async (pairs) => {
    const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
    const res = await app.inject(`/v1/schemes?${qs}`)
    seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1)
    if (![200, 400, 422].includes(res.statusCode)) throw new Error(`${qs}: ${res.statusCode} ${res.body}`)
    if (res.statusCode === 400) {
      const params = res.json().errors.map((e: any) => e.parameter)
      if (params.length === 0 || params.some((p: string) => !pairs.some(([k]) => k === p) && p !== 'lat' && p !== 'lon')) throw new Error(`${qs}: names ${params}`)
    }
  }), { seed: 4242, numRuns: 200 })
  t.comment(JSON.stringify(Object.fromEntries(seen)))
  t.ok((seen.get(400) ?? 0) > 50 && (seen.get(200) ?? 0) > 0, 'both answers are met')
})
