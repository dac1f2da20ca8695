import t from 'tap'
import { build } from '../../helper.ts'
import { call, createOrganisation, createScheme, createVenue, weekly } from '../../fixtures/api.ts'
import { orukValidators } from './oruk-ajv.ts'
import { nulls } from './walk.ts'
import { taxonomyId, termId } from '../../../src/formats/oruk/taxonomies.ts'
import { readOruk } from '../../../src/formats/oruk/read.ts'

// Issue 13 in the Open Referral UK feed (docs/oruk.md): the capacity in `alert`, the referral
// as HSDS 3.0's application_process and as attributes; every body still valid ORUK 3.0.

const V = orukValidators()

t.test('referral and capacity in the ORUK feed, valid against the ORUK 3.0 schemas', async (t) => {
  const { app, db } = await build(t)
  const { key } = await createOrganisation(app)
  const venue = await createVenue(app, key)
  const s = await createScheme(app, key, {
    name: 'Referred walks', self_referral: true, accepting_referrals: false, sessions: [weekly(venue.id)],
    referral: { methods: ['form', 'phone', 'self'], url: 'https://example.org.uk/refer', phone: '020 7946 0958', instructions: 'Ask for Sam.',
      accepted_from: ['gp', 'link_worker', 'self'] },
    capacity: { status: 'waiting_list', waiting_weeks: 1 },
  })
  await db.query("UPDATE schemes SET capacity_updated_at = '2026-11-30T10:00:00Z' WHERE id = $1", [s.id])
  const plain = await createScheme(app, key, { name: 'Plain walks', sessions: [weekly(venue.id)], capacity: { status: 'places_available', places: 12 } })
  await db.query("UPDATE schemes SET capacity_updated_at = '2026-12-01T10:00:00Z' WHERE id = $1", [plain.id])

  const full = (await call(app, 'GET', `/oruk/services/${s.id}`)).json()
  t.same(V.service(full), [], 'a valid ORUK service')
  t.same(nulls(full), [])
  t.equal(full.alert, 'Not accepting new referrals at the moment. Waiting list: about 1 week (as of 2026-11-30).')
  t.equal(full.application_process, 'Refer by the referral form at https://example.org.uk/refer, or phone 020 7946 0958, or the person getting in touch ' +
    'themselves. Referrals from: GP, Social prescribing link worker, Self-referral. Ask for Sam.')
  t.same(full.attributes.filter((a: any) => a.link_type.startsWith('referral')).map((a: any) => `${a.link_type}:${a.taxonomy_term.term}`),
    ['referral_methods:form', 'referral_methods:phone', 'referral_methods:self', 'referral_from:gp', 'referral_from:link_worker', 'referral_from:self'])
  t.notOk('capacities' in full, 'no HSDS 3.1 fields in a 3.0 feed')

  const other = (await call(app, 'GET', `/oruk/services/${plain.id}`)).json()
  t.same(V.service(other), [])
  t.equal(other.alert, 'Places available: 12 (as of 2026-12-01).')
  t.notOk('application_process' in other, 'no referral: no application_process')
  t.notOk(other.attributes.some((a: any) => a.link_type.startsWith('referral')), 'and no referral terms (self_referral is not read into one)')

  const list = (await call(app, 'GET', '/oruk/services')).json()
  t.same(V.servicePage(list), [])
  t.match(list.contents.find((x: any) => x.id === s.id), { alert: full.alert, application_process: full.application_process })
  const salId = full.service_at_locations[0].id
  const sal = (await call(app, 'GET', `/oruk/service_at_locations/${salId}`)).json()
  t.same(V.sal(sal), [])
  t.equal(sal.service.alert, full.alert)

  // the referral terms are taxonomy terms like any other: listed, and filtered on
  const taxonomies = (await call(app, 'GET', '/oruk/taxonomies?per_page=50')).json().contents.map((x: any) => x.name)
  t.ok(taxonomies.includes('Signpost referral methods') && taxonomies.includes('Signpost referral sources'))
  const term = (await call(app, 'GET', `/oruk/taxonomy_terms/${termId('referral_from', 'link_worker')}`)).json()
  t.same(V.term(term), [])
  t.match(term, { name: 'Social prescribing link worker', term: 'link_worker', taxonomy: 'Signpost referral sources' })
  const ids = async (qs: string) => (await call(app, 'GET', `/oruk/services?${qs}`)).json().contents.map((x: any) => x.name)
  t.same(await ids(`taxonomy_term_id=${termId('referral_from', 'gp')}`), ['Referred walks'])
  t.same(await ids(`taxonomy_term_id=${termId('referral_from', 'self')}`), ['Referred walks'], 'what the scheme says, not self_referral')
  t.same(await ids(`taxonomy_term_id=${termId('referral_methods', 'email')}`), [])
  t.same(await ids(`taxonomy_id=${taxonomyId('referral_methods')}`), ['Referred walks'])

  // read back, the referral terms are reported, not half-kept (a referral needs its details)
  const read = readOruk(full)
  t.notOk('referral' in read.units[0].scheme.doc)
  t.match(read.units[0].problems, [{ field: 'attributes', level: 'warning', message: /referral terms are not kept/ }])
})
