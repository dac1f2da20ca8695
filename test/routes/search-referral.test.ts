import t from 'tap'
import { build } from '../helper.ts'
import { call, createOrganisation, createScheme, createVenue, weekly } from '../fixtures/api.ts'

// Issue 13: the search filters referral_from and has_places, on schemes made here.

t.test('referral_from (any of; no referral: self only, when self_referral) and has_places (no capacity: neither)', async (t) => {
  const { app } = await build(t)
  const { organisation, key } = await createOrganisation(app)
  const venue = await createVenue(app, key, { location: { lat: 51.4703, lon: -0.0686 } })
  const make = (name: string, fields: Record<string, unknown>) => createScheme(app, key, { name, sessions: [weekly(venue.id)], ...fields })
  await make('A clinical referrals', { self_referral: false, referral: { methods: ['form'], url: 'https://example.org.uk/refer', accepted_from: ['gp', 'link_worker'] },
    capacity: { status: 'places_available', places: 3 } })
  await make('B pharmacy or self', { self_referral: true, referral: { methods: ['phone', 'self'], phone: '020 7946 0958', accepted_from: ['pharmacy', 'self'] },
    capacity: { status: 'waiting_list', waiting_weeks: 4 } })
  await make('C just come along', { self_referral: true, capacity: { status: 'full' } })
  await make('D says nothing', { self_referral: false })
  // remote, so that the place search's remote branch is asked too
  await createScheme(app, key, { name: 'E telephone befriending', delivery: ['telephone'], service_area: { type: 'national' }, sessions: [weekly(null)],
    self_referral: false, referral: { methods: ['email'], email: 'refer@example.org.uk', accepted_from: ['social_worker', 'gp'] },
    capacity: { status: 'places_available' } })

  const names = async (qs: string) => {
    const r = await call(app, 'GET', `/v1/schemes?organisation_id=${organisation.id}&${qs}`)
    t.equal(r.statusCode, 200, `${qs}: ${r.body}`)
    return r.json().items.map((i: any) => i.name.split(' ')[0])
  }
  const cases: Array<[string, string[]]> = [
    ['referral_from=gp', ['A', 'E']],
    ['referral_from=self', ['B', 'C']],
    ['referral_from=gp,self', ['A', 'B', 'C', 'E']],
    ['referral_from=pharmacy', ['B']],
    ['referral_from=%20Link_Worker%20,link_worker', ['A']],
    ['referral_from=housing_association', []],
    ['has_places=true', ['A', 'E']],
    ['has_places=false', ['B', 'C']],
    ['has_places=true&referral_from=link_worker', ['A']],
    ['has_places=false&referral_from=self', ['B', 'C']],
    ['has_places=false&self_referral=false', []],
    ['referral_from=social_worker&delivery=telephone', ['E']],
  ]
  for (const [qs, expected] of cases) t.same(await names(qs), expected, qs)

  // with a place: the nearest-first scan and the remote branch apply them too
  const near = 'lat=51.4705&lon=-0.0690&delivery=in_person,telephone'
  t.same(await names(`${near}&referral_from=gp`), ['A', 'E'], 'in person first, then remote')
  t.same((await names(`${near}&has_places=false`)).sort(), ['B', 'C'], 'at one venue: ties by id')
  t.same(await names(`${near}&has_places=true&referral_from=social_worker`), ['E'])

  // the items carry the referral and capacity
  const item = (await call(app, 'GET', `/v1/schemes?organisation_id=${organisation.id}&referral_from=pharmacy`)).json().items[0]
  t.match(item, { referral: { methods: ['phone', 'self'], accepted_from: ['pharmacy', 'self'] }, capacity: { status: 'waiting_list', waiting_weeks: 4 } })

  // a cursor belongs to its filters
  const page = (await call(app, 'GET', `/v1/schemes?organisation_id=${organisation.id}&referral_from=gp,self&limit=1`)).json()
  t.ok(page.next_cursor)
  const next = await call(app, 'GET', `/v1/schemes?organisation_id=${organisation.id}&referral_from=gp,self&limit=1&cursor=${page.next_cursor}`)
  t.same(next.json().items.map((i: any) => i.name[0]), ['B'])
  const other = await call(app, 'GET', `/v1/schemes?organisation_id=${organisation.id}&referral_from=gp&limit=1&cursor=${page.next_cursor}`)
  t.same([other.statusCode, other.json().errors?.map((e: any) => e.parameter)], [400, ['cursor']], 'not with other filters')
})

t.test('bad referral_from and has_places: 400 naming the parameter', async (t) => {
  const { app } = await build(t)
  const cases: Array<[string, string, RegExp]> = [
    ['referral_from=dentist', 'referral_from', /unknown code "dentist": give one or more of gp, practice_nurse, link_worker, pharmacy, social_worker/],
    ['referral_from=gp,nurse', 'referral_from', /unknown code "nurse"/],
    ['referral_from=', 'referral_from', /must not be empty|must NOT have fewer than 1 characters/],
    ['referral_from=,', 'referral_from', /at least one code/],
    ['has_places=maybe', 'has_places', /boolean/],
    ['has_places=yes', 'has_places', /boolean/],
    ['has_places=%20true', 'has_places', /boolean/],
    ['has_places=true&has_places=false', 'has_places', /boolean/],
    ['has_place=true', 'has_place', /unknown parameter/],
  ]
  for (const [qs, parameter, message] of cases) {
    const r = await call(app, 'GET', `/v1/schemes?${qs}`)
    t.equal(r.statusCode, 400, qs)
    t.match(r.headers['content-type'], /^application\/problem\+json/)
    t.same(r.json().errors?.map((e: any) => e.parameter), [parameter], `${qs}: ${r.body}`)
    t.match(r.json().errors?.[0]?.message, message, qs)
  }
})
