import t from 'tap'
import { build } from '../helper.ts'
import { adminKey, call, createKey, createOrganisation, createScheme, createVenue, weekly } from '../fixtures/api.ts'
import { addDemand } from '../../src/repositories/demand.ts'
import { keyText, type DemandKey } from '../../src/insights/demand-key.ts'
import { ukDate, addDays } from '../../src/domain/schedule.ts'

const base = (over: Partial<DemandKey>): DemandKey => ({ day: ukDate(new Date()), area: 'E09000028', needs: [], categories: [], periods: [], days: [],
  accessibility: [], delivery: ['in_person'], free: null, audience: [], found: true, ...over })
const rows = (...xs: Array<[Partial<DemandKey>, number]>) => xs.map(([k, count]) => ({ key: base(k), text: keyText(base(k)), count }))

t.test('demand: admin or analyst only; an analyst key is made like any other', async (t) => {
  const { app } = await build(t)
  const admin = await adminKey(app)
  const analyst = await createKey(app, admin, { role: 'analyst', label: 'ICB analyst' })
  t.equal(analyst.role, 'analyst')
  const reader = await createKey(app, admin, { role: 'reader' })
  t.equal((await call(app, 'GET', '/v1/insights/demand')).statusCode, 401)
  t.equal((await call(app, 'GET', '/v1/insights/demand', { key: reader.key })).statusCode, 403)
  t.equal((await call(app, 'GET', '/v1/insights/demand', { key: analyst.key })).statusCode, 200)
  t.equal((await call(app, 'GET', '/v1/insights/gaps?area=E09000028', { key: analyst.key })).statusCode, 200)
  // an analyst writes nothing
  t.equal((await call(app, 'POST', '/v1/organisations', { key: analyst.key, body: { name: 'Nope' } })).statusCode, 403)
  // bad input tried: an analyst key with an organisation
  const bad = await call(app, 'POST', '/v1/keys', { key: admin, body: { role: 'analyst', organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' } })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().errors.map((e: any) => e.pointer), ['/organisation_id'])
})

t.test('demand figures: suppressed, rounded, per filter, unmet combinations, per nation, CSV', async (t) => {
  const { app, db } = await build(t)
  const admin = await adminKey(app)
  await addDemand(db, rows(
    // Southwark: 12 found with loneliness, 13 unmet loneliness in the evening
    [{ needs: ['loneliness'] }, 12],
    [{ needs: ['loneliness'], periods: ['evening'], found: false }, 13],
    // Leeds: 7 searches, all unmet: suppressed
    [{ area: 'E08000035', needs: ['debt'], found: false }, 7],
    // Cardiff: 8 found, 0 unmet
    [{ area: 'W06000015', categories: ['walking'] }, 8],
    // out of range: 31 days ago
    [{ day: addDays(ukDate(new Date()), -30), needs: ['loneliness'] }, 100],
  ))
  const res = await call(app, 'GET', '/v1/insights/demand', { key: admin })
  t.equal(res.statusCode, 200)
  const body = res.json()
  const cell = (value: number | null) => ({ value, suppressed: value === null })
  t.same(body.areas.map((a: any) => [a.code, a.searches, a.no_result]), [
    // Leeds: 7 searches, 7 without a result: both suppressed
    ['E08000035', cell(null), cell(null)],
    // the no-result total (20) would give Leeds's 7 away: the smallest other non-zero (Southwark's 13) is hidden with it
    ['E09000028', cell(25), cell(null)],
    // the searches total (40) likewise: the smallest other area (Cardiff, 8) is hidden; its 0 without a result reveals nothing
    ['W06000015', cell(null), cell(0)],
  ])
  t.same(body.total, { searches: cell(40), no_result: cell(20) })
  const southwark = body.areas.find((a: any) => a.code === 'E09000028')
  t.same(southwark.by_filter, [
    { parameter: 'delivery', code: 'in_person', searches: cell(25), no_result: cell(15) },
    { parameter: 'need', code: 'loneliness', searches: cell(25), no_result: cell(15) },
    { parameter: 'period', code: 'evening', searches: cell(15), no_result: cell(15) },
  ])
  t.same(southwark.unmet, [{ filters: 'need=loneliness&period=evening', no_result: cell(15) }])
  t.same(body.areas.find((a: any) => a.code === 'E08000035').unmet, [], 'a combination of 7 is not listed')

  const nation = (await call(app, 'GET', '/v1/insights/demand?area=nation', { key: admin })).json()
  t.same(nation.areas.map((a: any) => [a.code, a.searches.value]), [['England', 30], ['Wales', 10]])

  const filtered = (await call(app, 'GET', '/v1/insights/demand?need=debt,loneliness&period=evening', { key: admin })).json()
  t.same(filtered.areas.map((a: any) => [a.code, a.searches.value]), [['E09000028', 15]])

  const csv = await call(app, 'GET', '/v1/insights/demand.csv', { key: admin })
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  const lines = csv.body.trim().split('\n')
  t.equal(lines[0], 'from,to,area_type,area_code,area_name,kind,filter,searches,no_result,suppressed')
  t.ok(lines.includes(`${body.from},${body.to},local_authority,E09000028,Southwark,unmet,need=loneliness&period=evening,,15,false`))
})

t.test('demand and gaps: every bad parameter named', async (t) => {
  const { app } = await build(t)
  const admin = await adminKey(app)
  // bad inputs tried: a 13th month, from after to, over 366 days, an unknown need and period, a bad area type, free not a boolean
  const res = await call(app, 'GET', '/v1/insights/demand?from=2026-13-01&need=nope&period=dusk&area=ward&free=maybe', { key: admin })
  t.equal(res.statusCode, 400)
  t.same(res.json().errors.map((e: any) => e.parameter).sort(), ['area', 'free', 'from', 'need', 'period'])
  const order = await call(app, 'GET', '/v1/insights/demand?from=2026-12-02&to=2026-12-01', { key: admin })
  t.same(order.json().errors.map((e: any) => e.parameter), ['from'])
  const long = await call(app, 'GET', '/v1/insights/demand?from=2025-01-01&to=2026-12-01', { key: admin })
  t.same(long.json().errors.map((e: any) => e.parameter), ['to'])
  t.equal((await call(app, 'GET', '/v1/insights/gaps?area=X1', { key: admin })).statusCode, 400)
  const unknown = await call(app, 'GET', '/v1/insights/gaps?area=E09999999', { key: admin })
  t.equal(unknown.statusCode, 422)
  const cov = await call(app, 'GET', '/v1/insights/coverage?radius_m=50&accessibility=stairs&days=funday')
  t.equal(cov.statusCode, 400)
  t.same(cov.json().errors.map((e: any) => e.parameter).sort(), ['accessibility', 'days', 'radius_m'])
})

/** An app with one evening loneliness group in Peckham (part of Southwark covered) and an admin key. */
async function peckhamEveningGroup(t: Parameters<typeof build>[0]) {
  const { app, db } = await build(t)
  const admin = await adminKey(app)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  await createScheme(app, key, { needs: ['loneliness'], sessions: [weekly(venue.id, { starts: '18:30', ends: '20:00' })] })
  return { app, db, admin }
}

t.test('gaps: the unmet combinations of one authority, in words, with its coverage', async (t) => {
  const { app, db, admin } = await peckhamEveningGroup(t)
  await addDemand(db, rows(
    [{ needs: ['loneliness'], periods: ['evening'], found: false }, 23],
    [{ needs: ['debt'], found: false }, 9],
    [{ categories: ['walking'], found: false }, 7], // too few to be listed
    [{ area: 'E08000035', needs: ['loneliness'], found: false }, 50], // another authority
  ))
  const res = await call(app, 'GET', '/v1/insights/gaps?area=E09000028&radius_m=3000', { key: admin })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same(body.area, { code: 'E09000028', name: 'Southwark' })
  // worst first: 9 unmet × all of Southwark uncovered (9) before 23 × the third not covered near Peckham (about 7.8)
  t.same(body.gaps.map((g: any) => [g.filters, g.no_result.value]), [['need=debt', 10], ['need=loneliness&period=evening', 25]])
  const [debt, lonely] = body.gaps
  t.ok(lonely.covered_share > 0 && lonely.covered_share < 1, `some of Southwark covered: ${lonely.covered_share}`)
  t.equal(debt.covered_share, 0, 'no debt advice anywhere')
  const pct = Math.round((1 - lonely.covered_share) * 100)
  t.match(lonely.sentence, new RegExp(`^About 25 searches for loneliness in the evening found nothing from .+ to .+; ${pct}% of Southwark's postcodes ` +
    `have no such session within 3 km\\.$`))
  t.match(debt.sentence, /^About 10 searches for debt found nothing .+; 100% of Southwark's postcodes have no such session within 3 km\.$/)
})

t.test('gaps: the five worst of many combinations, a well-covered popular one ranked by what it leaves unmet', async (t) => {
  const { app, db, admin } = await peckhamEveningGroup(t)
  await addDemand(db, rows(
    [{ needs: ['loneliness'], periods: ['evening'], found: false }, 40], // about a third of Southwark uncovered: scores about 13.6
    [{ needs: ['debt'], found: false }, 30],
    [{ needs: ['housing'], found: false }, 20],
    [{ needs: ['benefits'], found: false }, 15],
    [{ needs: ['bereavement'], found: false }, 12],
    [{ needs: ['stress'], found: false }, 10],
    [{ needs: ['anxiety'], found: false }, 9],
    [{ needs: ['caring'], found: false }, 8],
  ))
  const body = (await call(app, 'GET', '/v1/insights/gaps?area=E09000028&radius_m=3000', { key: admin })).json()
  t.same(body.gaps.map((g: any) => g.filters), ['need=debt', 'need=housing', 'need=benefits', 'need=loneliness&period=evening', 'need=bereavement'])
  t.same(body.gaps.map((g: any) => g.no_result.value), [30, 20, 15, 40, 10])
  const lonely = body.gaps[3]
  t.ok(lonely.covered_share > 0.5 && lonely.covered_share < 0.75, `most of Southwark covered: ${lonely.covered_share}`)
})
