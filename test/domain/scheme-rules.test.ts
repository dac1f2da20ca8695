import t from 'tap'
import fc from 'fast-check'
import {
  geometryProblems, isUkPhone, nulProblems, schemeRuleProblems, shapeProblems, venueRuleProblems,
} from '../../src/domain/scheme-rules.ts'
import { isCurrent } from '../../src/domain/schedule.ts'

const venue = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f'
const weekly = (o: object = {}) => ({ venue_id: venue, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00', ...o })
const scheme = (o: object = {}) => ({ name: 'Walk', description: 'A walk', categories: ['walking'], delivery: ['in_person'], contact: { email: 'walk@example.org.uk' }, cost: { free: true }, sessions: [weekly()], ...o })
const pointers = (doc: unknown) => schemeRuleProblems(doc).map((p) => p.pointer)

t.test('a good document has no problems, in shape or rules', async (t) => {
  const good = scheme({
    delivery: ['in_person', 'online'], service_area: { type: 'national' }, min_age: 18, max_age: 18,
    cost: { free: false, amount_pence: 0, per: 'session' }, contact: { phone: '+44 (0)20 7946 0958' },
    sessions: [
      weekly(), weekly({ frequency: 'fortnightly', valid_from: '2026-01-05', valid_to: '2026-01-05' }),
      weekly({ frequency: 'monthly', week_of_month: -1 }), { venue_id: null, frequency: 'once', date: '2027-01-01', starts: '00:00', ends: '23:59' },
    ],
  })
  t.same(schemeRuleProblems(good), [])
  t.same(shapeProblems('SchemeWrite', good), [])
})

t.test('each cross-field rule, its pointer and message', async (t) => {
  // [what is wrong, document, expected pointer, message pattern]
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['a contact with no way to get in touch', scheme({ contact: {} }), '/contact', /at least one way to get in touch/],
    ['a date before 1900', scheme({ sessions: [weekly({ valid_from: '1899-12-31' })] }), '/sessions/0/valid_from', /from 1900-01-01 to 2999-12-31/],
    ['an exception after 2999', scheme({ sessions: [weekly({ except_dates: ['2027-01-01', '3000-01-01'] })] }), '/sessions/0/except_dates/1', /from 1900-01-01 to 2999-12-31/],
    ['a polygon of 2,001 positions', scheme({ delivery: ['online'], sessions: [], service_area: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[...Array.from({ length: 2000 }, (_, i) => [i / 10000, 51 + (i % 2) / 1000]), [0, 51]]] } } }), '/service_area/geometry/coordinates', /at most 2000 positions in all \(it has 2001\)/],
    ['ends before starts (and after 06:00)', scheme({ sessions: [weekly({ starts: '19:00', ends: '18:00' })] }), '/sessions/0/ends', /after starts, or at or before 06:00/],
    ['ends equal to starts', scheme({ sessions: [weekly({ ends: '18:00' })] }), '/sessions/0/ends', /must differ from starts/],
    ['weekly without days', scheme({ sessions: [weekly({ days: undefined })] }), '/sessions/0/days', /required for a weekly/],
    ['fortnightly with no days listed', scheme({ sessions: [weekly({ frequency: 'fortnightly', days: [], valid_from: '2026-01-05' })] }), '/sessions/0/days', /at least one/],
    ['monthly without days', scheme({ sessions: [weekly({ frequency: 'monthly', week_of_month: 1, days: undefined })] }), '/sessions/0/days', /required for a monthly/],
    ['once with days', scheme({ sessions: [{ venue_id: venue, frequency: 'once', date: '2027-01-01', days: ['mon'], starts: '10:00', ends: '11:00' }] }), '/sessions/0/days', /absent for a once/],
    ['week_of_month on a weekly session', scheme({ sessions: [weekly({ week_of_month: 2 })] }), '/sessions/0/week_of_month', /only for monthly/],
    ['monthly without week_of_month', scheme({ sessions: [weekly({ frequency: 'monthly' })] }), '/sessions/0/week_of_month', /required for a monthly/],
    ['once without a date', scheme({ sessions: [{ venue_id: venue, frequency: 'once', starts: '10:00', ends: '11:00' }] }), '/sessions/0/date', /required for a once/],
    ['a date on a weekly session', scheme({ sessions: [weekly({ date: '2027-01-01' })] }), '/sessions/0/date', /only for once/],
    ['fortnightly without valid_from', scheme({ sessions: [weekly({ frequency: 'fortnightly' })] }), '/sessions/0/valid_from', /required for a fortnightly/],
    ['valid_to before valid_from', scheme({ sessions: [weekly({ valid_from: '2026-05-01', valid_to: '2026-04-30' })] }), '/sessions/0/valid_to', /on or after valid_from/],
    ['a venue session without in_person', scheme({ delivery: ['online'], service_area: { type: 'national' } }), '/sessions/0/venue_id', /must include in_person/],
    ['a remote session without a remote mode', scheme({ sessions: [weekly({ venue_id: null })] }), '/sessions/0/venue_id', /online, telephone, home_visit or text_chat/],
    ['a remote session by omission of venue_id', scheme({ sessions: [weekly({ venue_id: undefined })] }), '/sessions/0/venue_id', /remote session/],
    ['a remote mode without a service area', scheme({ delivery: ['in_person', 'telephone'] }), '/service_area', /required when delivery includes telephone/],
    ['an amount when free', scheme({ cost: { free: true, amount_pence: 300 } }), '/cost/amount_pence', /absent when free/],
    ['a per when free', scheme({ cost: { free: true, per: 'session' } }), '/cost/per', /absent when free/],
    ['min_age above max_age', scheme({ min_age: 65, max_age: 18 }), '/max_age', /at least min_age/],
    ['a contact phone that is not a UK number', scheme({ contact: { phone: '555-1234' } }), '/contact/phone', /UK phone number/],
    ['a radius area without a center', scheme({ service_area: { type: 'radius', radius_m: 1000 } }), '/service_area/center', /required for a radius/],
    ['a radius area without radius_m', scheme({ service_area: { type: 'radius', center: { lat: 51.5, lon: -0.1 } } }), '/service_area/radius_m', /required for a radius/],
    ['a national area with a center', scheme({ service_area: { type: 'national', center: { lat: 51.5, lon: -0.1 } } }), '/service_area/center', /not used by a national/],
    ['a polygon area without geometry', scheme({ service_area: { type: 'polygon' } }), '/service_area/geometry', /required for a polygon/],
    ['a polygon area with radius_m', scheme({ service_area: { type: 'polygon', radius_m: 5, geometry: { type: 'Polygon', coordinates: [[[0, 51], [1, 51], [1, 52], [0, 51]]] } } }), '/service_area/radius_m', /not used by a polygon/],
    ['an open ring', scheme({ service_area: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[[0, 51], [1, 51], [1, 52], [0, 52]]] } } }), '/service_area/geometry/coordinates/0', /closed/],
    ['a ring of three positions', scheme({ service_area: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[[0, 51], [1, 51], [0, 51]]] } } }), '/service_area/geometry/coordinates/0', /at least 4/],
    ['a position of three numbers', scheme({ service_area: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[[0, 51, 3], [1, 51], [1, 52], [0, 51]]] } } }), '/service_area/geometry/coordinates/0/0', /two numbers/],
    ['a latitude beyond 90', scheme({ service_area: { type: 'polygon', geometry: { type: 'MultiPolygon', coordinates: [[[[0, 51], [1, 95], [1, 52], [0, 51]]]] } } }), '/service_area/geometry/coordinates/0/0/1', /within ±180/],
  ]
  for (const [what, doc, pointer, message] of cases) {
    const problems = schemeRuleProblems(doc)
    const found = problems.find((p) => p.pointer === pointer)
    t.ok(found, `${what}: ${pointer} named`, { problems })
    t.match(found?.message, message, `${what}: message`)
  }
})

t.test('every problem is reported at once', async (t) => {
  const doc = scheme({
    min_age: 50, max_age: 10, cost: { free: true, amount_pence: 1 },
    sessions: [weekly({ ends: '17:00' }), weekly({ frequency: 'monthly' }), weekly({ frequency: 'fortnightly' })],
  })
  t.same(pointers(doc).sort(), ['/cost/amount_pence', '/max_age', '/sessions/0/ends', '/sessions/1/week_of_month', '/sessions/2/valid_from'].sort())
})

t.test('UK phone numbers', async (t) => {
  const good = ['020 7946 0958', '02079460958', '+44 20 7946 0958', '+44 (0)20 7946 0958', '0044 20 7946 0958', '07700 900123', '0800 123 4567', '01632 960 001', '(01632) 960001', '016977 4567', '116 123', '111', '999', '0300-123-4567']
  const bad = ['', '123', '555-1234', '+1 202 555 0100', '+33 1 23 45 67 89', '020 7946 09', '020 7946 09581 2', '00 7946 0958', 'call us', '020 7946 0958 ext 2', '+44 0 20 7946 0958x', '١٢٣']
  for (const p of good) t.ok(isUkPhone(p), `${p} is a UK number`)
  for (const p of bad) t.notOk(isUkPhone(p), `${JSON.stringify(p)} is not`)
})

t.test('venue postcodes must be whole UK postcodes, any case and spacing', async (t) => {
  const doc = (postcode: unknown) => ({ name: 'Hall', address: { line1: '1 Rye Lane', town: 'London', postcode } })
  for (const p of ['SE15 4AA', 'se154aa', ' Se15  4aA ', 'SW1A 1AA', 'BT1 1AA']) t.same(venueRuleProblems(doc(p)), [], p)
  for (const p of ['SE15', 'SE15 4', 'SE15 4A', '12345', 'SW1A 1AI', 'hello', '']) {
    t.same(venueRuleProblems(doc(p)), [{ pointer: '/address/postcode', message: 'must be a full UK postcode, e.g. SE15 4AA' }], JSON.stringify(p))
  }
})

t.test('shape problems have plain messages and name read-only fields', async (t) => {
  const problems = shapeProblems('SchemeWrite', {
    id: 'x', version: 2, name: '', extra: 1, languages: ['EN'], contact: { email: 'nope', website: 'javascript:alert(1)' },
    sessions: [{ frequency: 'daily', starts: '9:00', ends: '24:00', date: '2026-02-30', except_dates: ['2026-01-01', '2026-01-01'], venue_id: 'urn:uuid:6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' }],
  }, ['id', 'version'])
  const by = Object.fromEntries(problems.map((p) => [p.pointer, p.message]))
  t.equal(by['/id'], 'is read-only: the server sets it')
  t.equal(by['/version'], 'is read-only: the server sets it')
  t.equal(by['/extra'], 'unknown field')
  t.equal(by['/name'], 'must not be empty')
  t.match(by['/languages/0'], /ISO 639-1/)
  t.equal(by['/contact/email'], 'must be an e-mail address')
  t.equal(by['/contact/website'], 'must be an http:// or https:// URL')
  t.match(by['/sessions/0/frequency'], /must be one of: weekly, fortnightly, monthly, once/)
  t.match(by['/sessions/0/starts'], /HH:MM/)
  t.match(by['/sessions/0/ends'], /HH:MM/)
  t.equal(by['/sessions/0/date'], 'must be a date, YYYY-MM-DD')
  t.equal(by['/sessions/0/except_dates'], 'must not list the same value twice')
  t.match(by['/sessions/0/venue_id'], /at most 36/, 'the urn: form of a UUID is refused: PostgreSQL would not take it')
})

t.test('NUL characters are found wherever they are', async (t) => {
  t.same(nulProblems({ a: 'ok', b: ['x\u0000'], c: { 'd/e': '\u0000' } }).map((p) => p.pointer), ['/b/0', '/c/d~1e'])
})

t.test('a polygon\'s structure', async (t) => {
  const square = [[0, 51], [1, 51], [1, 52], [0, 52], [0, 51]]
  t.same(geometryProblems({ type: 'Polygon', coordinates: [square] }, ''), [])
  t.same(geometryProblems({ type: 'MultiPolygon', coordinates: [[square], [square]] }, ''), [])
  t.match(geometryProblems({ type: 'Polygon', coordinates: [] }, '/g'), [{ pointer: '/g/coordinates', message: /non-empty/ }])
  t.match(geometryProblems({ type: 'MultiPolygon', coordinates: [[square], 5] }, '/g'), [{ pointer: '/g/coordinates/1' }])
})

t.test('currency of a session (SPEC §2)', async (t) => {
  t.ok(isCurrent({ frequency: 'weekly' }, '2026-06-01'))
  t.ok(isCurrent({ frequency: 'weekly', valid_to: '2026-06-01' }, '2026-06-01'))
  t.notOk(isCurrent({ frequency: 'weekly', valid_to: '2026-05-31' }, '2026-06-01'))
  t.ok(isCurrent({ frequency: 'once', date: '2026-06-01' }, '2026-06-01'))
  t.notOk(isCurrent({ frequency: 'once', date: '2026-05-31', valid_to: '2027-01-01' }, '2026-06-01'))
})

t.test('the rules never throw, whatever they are given, and always give pointers', async () => {
  // Tried: any JSON value at all, and scheme-like objects whose fields are any JSON values.
  const anyScheme = fc.record({
    delivery: fc.oneof(fc.jsonValue(), fc.subarray(['in_person', 'online', 'telephone', 'home_visit'])),
    cost: fc.oneof(fc.jsonValue(), fc.record({ free: fc.jsonValue(), amount_pence: fc.jsonValue(), per: fc.jsonValue() }, { requiredKeys: [] })),
    min_age: fc.jsonValue(), max_age: fc.jsonValue(), contact: fc.jsonValue(),
    service_area: fc.oneof(fc.jsonValue(), fc.record({ type: fc.constantFrom('national', 'radius', 'polygon', 'x'), geometry: fc.record({ type: fc.constantFrom('Polygon', 'MultiPolygon'), coordinates: fc.jsonValue() }) })),
    sessions: fc.oneof(fc.jsonValue(), fc.array(fc.record({
      venue_id: fc.oneof(fc.constant(null), fc.uuid(), fc.jsonValue()), frequency: fc.oneof(fc.constantFrom('weekly', 'fortnightly', 'monthly', 'once'), fc.jsonValue()),
      days: fc.jsonValue(), week_of_month: fc.jsonValue(), date: fc.jsonValue(), starts: fc.jsonValue(), ends: fc.jsonValue(), valid_from: fc.jsonValue(), valid_to: fc.jsonValue(),
    }, { requiredKeys: [] }), { maxLength: 4 })),
  }, { requiredKeys: [] })
  fc.assert(fc.property(fc.oneof(fc.anything(), anyScheme), (doc) => {
    for (const p of [...schemeRuleProblems(doc), ...shapeProblems('SchemeWrite', doc), ...nulProblems(doc)]) {
      if (typeof p.pointer !== 'string' || !(p.pointer === '' || p.pointer.startsWith('/')) || typeof p.message !== 'string') return false
    }
    return true
  }), { numRuns: 500 })
})
