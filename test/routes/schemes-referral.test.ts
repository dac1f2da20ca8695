import t from 'tap'
import { build } from '../helper.ts'
import { call, checksum, createOrganisation, createScheme, createVenue, schemeBody, weekly } from '../fixtures/api.ts'

// Issue 13: a scheme's referral (how to refer, who may) and capacity (whether it has room)
// through POST, GET, PUT and PATCH; every bad input named with its pointer, nothing written.

const referral = { methods: ['form', 'phone'], url: 'https://example.org.uk/refer', phone: '020 7946 0958', instructions: 'Ask for Sam.',
  accepted_from: ['gp', 'link_worker'] }
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

t.test('referral and capacity: written, shown, replaced, merged; the capacity stamp moves only when the figures do', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const before = Date.now()
  const r = await call(app, 'POST', '/v1/schemes', { key,
    body: schemeBody({ self_referral: false, referral, capacity: { status: 'places_available', places: 4 }, sessions: [weekly(venue.id)] }) })
  t.equal(r.statusCode, 201, r.body)
  const s = r.json()
  t.same(s.referral, referral, 'the referral back as written')
  t.match(s.capacity, { status: 'places_available', places: 4, updated_at: TIMESTAMP })
  t.same(Object.keys(s.capacity).sort(), ['places', 'status', 'updated_at'])
  t.ok(Date.parse(s.capacity.updated_at) >= before - 1000, 'stamped by the server, now')
  const url = `/v1/schemes/${s.id}`
  t.same((await call(app, 'GET', url)).json(), s, 'GET shows what the create answered')

  // a stamp from long ago, to see whether writes move it
  await db.query("UPDATE schemes SET capacity_updated_at = '2026-01-05T09:00:00Z' WHERE id = $1", [s.id])
  const old = '2026-01-05T09:00:00.000Z'
  const p1 = await call(app, 'PATCH', url, { key, body: { description: 'Now with cake' }, headers: { 'if-match': '"1"' } })
  t.equal(p1.statusCode, 200, p1.body)
  t.same(p1.json().capacity, { status: 'places_available', places: 4, updated_at: old }, 'a PATCH that leaves the capacity alone keeps its stamp')
  t.same(p1.json().referral, referral)
  const p2 = await call(app, 'PATCH', url, { key, body: { capacity: { places: 2 } }, headers: { 'if-match': '"2"' } })
  t.equal(p2.statusCode, 200, p2.body)
  t.match(p2.json().capacity, { status: 'places_available', places: 2 }, 'merged into the capacity')
  t.ok(p2.json().capacity.updated_at > old, 'new figures, a new stamp')
  const p3 = await call(app, 'PATCH', url, { key, body: { capacity: { status: 'waiting_list', places: null, waiting_weeks: 6 }, referral: { instructions: null } },
    headers: { 'if-match': '"3"' } })
  t.equal(p3.statusCode, 200, p3.body)
  t.match(p3.json().capacity, { status: 'waiting_list', waiting_weeks: 6 })
  t.notOk('places' in p3.json().capacity, 'null removes a figure')
  t.notOk('instructions' in p3.json().referral, 'null removes a referral field')
  const same = await call(app, 'PUT', url, { key, body: schemeBody({ name: s.name, self_referral: false, referral: p3.json().referral,
    capacity: { status: 'waiting_list', waiting_weeks: 6 }, sessions: [weekly(venue.id)] }), headers: { 'if-match': '"4"' } })
  t.equal(same.statusCode, 200, same.body)
  t.equal(same.json().capacity.updated_at, p3.json().capacity.updated_at, 'a PUT with the same figures keeps the stamp')
  const put = await call(app, 'PUT', url, { key, body: schemeBody({ name: s.name, sessions: [weekly(venue.id)] }), headers: { 'if-match': '"5"' } })
  t.equal(put.statusCode, 200, put.body)
  t.notOk('referral' in put.json(), 'a PUT without them: no referral')
  t.notOk('capacity' in put.json(), 'and no capacity')
  // the PUT's body took the default self_referral (true): a referral must then list self
  const refused = await call(app, 'PATCH', url, { key, body: { referral: { methods: ['email'], email: 'refer@example.org.uk', accepted_from: ['pharmacy'] } },
    headers: { 'if-match': '"6"' } })
  t.same(refused.json().errors, [{ pointer: '/referral/accepted_from', message: 'must include self: self_referral is true (or set self_referral to false)' }])
  const back = await call(app, 'PATCH', url, { key, body: { referral: { methods: ['email', 'self'], email: 'refer@example.org.uk', accepted_from: ['pharmacy', 'self'] },
    capacity: { status: 'full' } }, headers: { 'if-match': '"6"' } })
  t.equal(back.statusCode, 200, back.body)
  const cleared = await call(app, 'PATCH', url, { key, body: { referral: null, capacity: null }, headers: { 'if-match': '"7"' } })
  t.equal(cleared.statusCode, 200, cleared.body)
  t.notOk('referral' in cleared.json() || 'capacity' in cleared.json(), 'null removes both')
  const [row] = await db.query('SELECT referral_methods, referral_from, referral_email, capacity_status, capacity_updated_at FROM schemes WHERE id = $1', [s.id])
  t.same(row, { referral_methods: [], referral_from: [], referral_email: null, capacity_status: null, capacity_updated_at: null }, 'nothing left behind')

  const vocabularies = (await call(app, 'GET', '/v1/vocabularies')).json()
  t.same(vocabularies.referral_methods.map((x: any) => x.code), ['form', 'email', 'phone', 'in_person', 'self'])
  t.same(vocabularies.referral_from.map((x: any) => x.code),
    ['gp', 'practice_nurse', 'link_worker', 'pharmacy', 'social_worker', 'housing_association', 'voluntary_sector', 'self'])
  t.same(vocabularies.capacity_status.map((x: any) => x.code), ['places_available', 'waiting_list', 'full'])
  t.ok([...vocabularies.referral_methods, ...vocabularies.referral_from, ...vocabularies.capacity_status].every((x: any) => x.label), 'each with a label')
})

t.test('bad referrals and capacities: each refused with its pointer, nothing written', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const scheme = await createScheme(app, key, { self_referral: false, sessions: [weekly(venue.id)] })
  const base = schemeBody({ self_referral: false, sessions: [weekly(venue.id)] })
  const ref = (over: Record<string, unknown>) => ({ referral: { ...referral, ...over } })
  const cap = (c: unknown) => ({ capacity: c })

  // [what, body fields, pointer, message]
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['referral an object', { referral: 'gp' }, '/referral', /must be object/],
    ['methods required', { referral: { accepted_from: ['gp'] } }, '/referral/methods', /is required/],
    ['methods not empty', ref({ methods: [] }), '/referral/methods', /must list at least one/],
    ['methods known codes', ref({ methods: ['fax'] }), '/referral/methods/0', /must be one of: form, email, phone, in_person, self/],
    ['methods each once', ref({ methods: ['phone', 'phone'] }), '/referral/methods', /same value twice/],
    ['methods an array', ref({ methods: 'phone' }), '/referral/methods', /must be array/],
    ['accepted_from required', { referral: { methods: ['in_person'] } }, '/referral/accepted_from', /is required/],
    ['accepted_from not empty', ref({ accepted_from: [] }), '/referral/accepted_from', /must list at least one/],
    ['accepted_from known codes', ref({ accepted_from: ['dentist'] }), '/referral/accepted_from/0', /must be one of: gp, practice_nurse, link_worker/],
    ['form needs url', ref({ url: undefined }), '/referral/url', /required when methods include form/],
    ['email needs email', ref({ methods: ['email'] }), '/referral/email', /required when methods include email/],
    ['phone needs phone', ref({ phone: undefined }), '/referral/phone', /required when methods include phone/],
    ['url http(s)', ref({ url: 'javascript:alert(1)' }), '/referral/url', /http:\/\/ or https:\/\//],
    ['url a URL', ref({ url: 'https://exa mple.org.uk' }), '/referral/url', /must be a URL/],
    ['email an address', ref({ methods: ['email'], email: 'not an address' }), '/referral/email', /e-mail address/],
    ['phone a UK number', ref({ phone: '12345' }), '/referral/phone', /UK phone number/],
    ['instructions up to 500', ref({ instructions: 'x'.repeat(501) }), '/referral/instructions', /at most 500/],
    ['instructions text', ref({ instructions: 42 }), '/referral/instructions', /must be string/],
    ['no unknown referral field', ref({ fax: '020 7946 0958' }), '/referral/fax', /unknown field/],
    ['self as a method needs self as a source', ref({ methods: ['self'] }), '/referral/accepted_from', /must include self when methods include self/],
    ['self as a source needs self_referral', ref({ accepted_from: ['gp', 'self'] }), '/referral/accepted_from', /self_referral is not true/],
    ['self_referral needs self as a source', { ...ref({}), self_referral: true }, '/referral/accepted_from', /must include self: self_referral is true/],
    ['capacity an object', cap('full'), '/capacity', /must be object/],
    ['status required', cap({ places: 3 }), '/capacity/status', /is required/],
    ['status known', cap({ status: 'open' }), '/capacity/status', /must be one of: places_available, waiting_list, full/],
    ['places not negative', cap({ status: 'places_available', places: -1 }), '/capacity/places', /at least 0/],
    ['places whole', cap({ status: 'places_available', places: 2.5 }), '/capacity/places', /must be integer/],
    ['places a number, not text', cap({ status: 'places_available', places: ' 5' }), '/capacity/places', /must be integer/],
    ['places at most 10000', cap({ status: 'places_available', places: 10001 }), '/capacity/places', /at most 10000/],
    ['places at least 1 when available', cap({ status: 'places_available', places: 0 }), '/capacity/places', /at least 1 with places_available/],
    ['places only when available', cap({ status: 'full', places: 3 }), '/capacity/places', /only for places_available/],
    ['waiting_weeks only with a waiting list', cap({ status: 'places_available', waiting_weeks: 2 }), '/capacity/waiting_weeks', /only for waiting_list/],
    ['waiting_weeks not negative', cap({ status: 'waiting_list', waiting_weeks: -2 }), '/capacity/waiting_weeks', /at least 0/],
    ['waiting_weeks at most 104', cap({ status: 'waiting_list', waiting_weeks: 105 }), '/capacity/waiting_weeks', /at most 104/],
    ['updated_at is the server\'s', cap({ status: 'full', updated_at: '2026-12-01T00:00:00Z' }), '/capacity/updated_at', /read-only/],
    ['no unknown capacity field', cap({ status: 'full', note: 'back in spring' }), '/capacity/note', /unknown field/],
  ]
  const url = `/v1/schemes/${scheme.id}`
  const before = await checksum(app)
  for (const [what, fields, pointer, message] of cases) {
    const body = JSON.parse(JSON.stringify({ ...base, ...fields }))
    const post = await call(app, 'POST', '/v1/schemes', { key, body })
    t.equal(post.statusCode, 400, `POST: ${what}`)
    t.match(post.headers['content-type'], /^application\/problem\+json/)
    t.same(post.json().errors?.map((e: any) => e.pointer), [pointer], `POST: ${what}: ${post.body}`)
    t.match(post.json().errors?.[0]?.message, message, `POST: ${what}`)
    const put = await call(app, 'PUT', url, { key, body, headers: { 'if-match': '"1"' } })
    t.same(put.json().errors?.map((e: any) => e.pointer), [pointer], `PUT: ${what}`)
    const patch = await call(app, 'PATCH', url, { key, body: fields, headers: { 'if-match': '"1"' } })
    t.equal(patch.statusCode, 400, `PATCH: ${what}`)
    t.ok(patch.json().errors?.some((e: any) => e.pointer === pointer), `PATCH: ${what}: ${patch.body}`)
  }

  // numbers JSON.stringify cannot write: 1e309 (read as Infinity) and a padded 007 (not JSON)
  const raw = (places: string) => JSON.stringify({ ...base, capacity: { status: 'places_available', places: 1 } }).replace('"places":1', `"places":${places}`)
  const huge = await call(app, 'POST', '/v1/schemes', { key, body: raw('1e309') })
  t.equal(huge.statusCode, 400)
  t.same(huge.json().errors?.map((e: any) => e.pointer), ['/capacity/places'], '1e309')
  const padded = await call(app, 'POST', '/v1/schemes', { key, body: raw('007') })
  t.equal(padded.statusCode, 400, '007 is not JSON')
  t.match(padded.json().detail, /not valid JSON/)
  t.equal(await checksum(app), before, 'no refused request wrote anything')
})
