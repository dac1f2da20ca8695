import t from 'tap'
import { stringify } from 'csv-stringify/sync'
import { readCsv } from '../../../src/formats/csv/read.ts'
import { readImport } from '../../../src/import/read.ts'
import { guardCell, unguardCell, splitList } from '../../../src/formats/csv/template.ts'

t.test('formula guard: export prefixes, import removes, other text untouched', async (t) => {
  t.equal(guardCell('scheme_name', '=SUM(A1)'), "'=SUM(A1)")
  t.equal(guardCell('contact_phone', '+44 20 7946 0958'), "'+44 20 7946 0958")
  t.equal(guardCell('week_of_month', '-1'), '-1', 'not in a number column')
  t.equal(guardCell('scheme_name', 'Walk'), 'Walk')
  t.equal(unguardCell('scheme_name', "'=SUM(A1)"), '=SUM(A1)')
  t.equal(unguardCell('scheme_name', "'Tis the season"), "'Tis the season", 'a real apostrophe stays')
  t.same(splitList(' walking; nature_outdoors ,,'), ['walking', 'nature_outdoors'])
})

t.test('rows group into schemes by scheme_ref within the organisation; one session per row', async (t) => {
  const text = '\uFEFF' + stringify([
    ['Organisation_Ref', 'organisation_name', 'scheme_ref', 'scheme_name', 'frequency', 'days', 'starts', 'ends', 'venue_ref', 'venue_name', 'venue_line1', 'venue_town', 'venue_postcode', 'colour'],
    ['O1', 'Org', 's1', 'Walk', 'weekly', 'mon;wed', '10:00', '11:00', 'v1', 'Hall', '1 Lane', 'London', 'SE15 4AA', 'red'],
    ['O1', 'Org', 's1', 'Walk', 'once', '', '12:00', '13:00', '', '', '', '', '', ''],
    ['O2', 'Other', 's1', 'Same ref, other organisation', '', '', '', '', '', '', '', '', '', ''],
    ['O1', 'Org', 's2', 'Venue by ref only', 'weekly', 'fri', '10:00', '11:00', 'v1', '', '', '', '', ''],
  ])
  const r = readCsv(text)
  t.same(r.problems, [{ row: 1, field: 'colour', level: 'warning', message: 'is not a template column: ignored (see docs/import.md)' }])
  t.equal(r.units.length, 3)
  const [walk, other, byRef] = r.units
  t.equal(walk.label, 'rows 2, 3')
  t.same(walk.scheme.doc.sessions.map((s: any) => [s.frequency, s.venue_id]), [['weekly', 'ref:ref:O1:v1'], ['once', null]])
  t.same(walk.venues.map((v) => v.doc), [{ name: 'Hall', address: { line1: '1 Lane', town: 'London', postcode: 'SE15 4AA' }, accessibility: [] }])
  t.match(walk.organisation, { kind: 'ref', ref: 'O1', doc: { name: 'Org' } })
  t.same(other.scheme.doc.sessions, [], 'a row without frequency: a scheme without sessions')
  t.equal(byRef.venues[0].doc, undefined, 'a venue_ref alone names a venue already there')
  t.notOk('description' in walk.scheme.doc, 'a column the file does not have is left alone')
  t.same(walk.scheme.locate('/sessions/1/starts'), { row: 3, field: 'starts' })
  t.same(walk.scheme.locate('/cost/amount_pence'), { row: 2, field: 'cost_amount' })
})

t.test('what cannot be read is reported, never thrown', async (t) => {
  t.match(readCsv('').problems, [{ row: 1, level: 'error', message: /empty/ }])
  t.match(readCsv('name,town\nx,y\n').problems.find((p) => p.level === 'error'), { row: 1, message: /scheme_name and scheme_ref/ })
  t.match(readCsv('scheme_ref,scheme_name\n"unclosed,x\n').problems, [{ level: 'error', message: /not CSV/ }])
  const noOrg = readCsv('scheme_ref,scheme_name\ns,S\n')
  t.match(noOrg.units[0], { fatal: true, problems: [{ row: 2, field: 'organisation_ref', level: 'error' }] })
  const withFlag = readCsv('scheme_ref,scheme_name\ns,S\n', { organisationId: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' })
  t.match(withFlag.units[0], { fatal: false, organisation: { kind: 'id', id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' } })
  t.match(readImport('{"nope": ', 'x.json').problems, [{ level: 'error', message: /not JSON/ }])
  t.match(readImport('[1, {"x": 2}]', 'x.json').problems, [{ row: 'record 1', message: /not a JSON object/ }, { row: 'record 2', message: /not a service/ }])
})

t.test('referral and capacity columns: read into the document, emptied when blank, left alone when absent', async (t) => {
  const header = ['organisation_ref', 'organisation_name', 'scheme_ref', 'scheme_name', 'referral_methods', 'referral_url', 'referral_email', 'referral_phone',
    'referral_instructions', 'referral_from', 'capacity_status', 'capacity_places', 'capacity_waiting_weeks', 'capacity_updated_at']
  const text = stringify([
    header,
    ['O', 'Org', 'a', 'All of it', 'form; phone', 'https://example.org.uk/refer', '', "'+44 20 7946 0958", 'Ask for Sam', 'gp;link_worker',
      'places_available', '4', '', '2020-01-01T00:00:00Z'],
    ['O', 'Org', 'b', 'Nothing said', '', '', '', '', '', '', '', '', '', ''],
    ['O', 'Org', 'c', 'Figures without a status', '', '', '', '', '', '', '', '4', '', ''],
    ['O', 'Org', 'd', 'Odd values', 'phone', '', '', '', '', '', 'waiting_list', '', 'six', ''],
  ])
  const [all, none, orphan, odd] = readCsv(text).units
  t.same(all.scheme.doc.referral, { methods: ['form', 'phone'], accepted_from: ['gp', 'link_worker'], url: 'https://example.org.uk/refer',
    phone: '+44 20 7946 0958', instructions: 'Ask for Sam' }, 'the guard \' comes off a phone number')
  t.same(all.scheme.doc.capacity, { status: 'places_available', places: 4 }, 'capacity_updated_at is the server\'s: not read')
  t.ok('referral' in none.scheme.doc && none.scheme.doc.referral === undefined, 'blank columns: no referral (an update removes it)')
  t.ok('capacity' in none.scheme.doc && none.scheme.doc.capacity === undefined, 'and no capacity')
  t.match(orphan.problems, [{ row: 4, field: 'capacity_status', level: 'error', message: /required with capacity_places/ }])
  t.same(odd.scheme.doc.capacity, { status: 'waiting_list', waiting_weeks: 'six' }, 'left as text, for the API\'s rules to name')
  t.same(odd.scheme.doc.referral, { methods: ['phone'], accepted_from: [] })
  // where the API's pointers land
  t.same(['/referral/methods/0', '/referral/url', '/referral/phone', '/referral/accepted_from', '/referral', '/capacity/places', '/capacity/waiting_weeks',
    '/capacity/status'].map((p) => all.scheme.locate(p).field),
  ['referral_methods', 'referral_url', 'referral_phone', 'referral_from', 'referral_from', 'capacity_places', 'capacity_waiting_weeks', 'capacity_status'])
  const without = readCsv(stringify([['organisation_ref', 'organisation_name', 'scheme_ref', 'scheme_name'], ['O', 'Org', 'a', 'A']])).units[0]
  t.notOk('referral' in without.scheme.doc || 'capacity' in without.scheme.doc, 'a file without the columns leaves both alone')
})

t.test('breaks and except_bank_holidays: written to the template and read back', async (t) => {
  const { schemeRecords } = await import('../../../src/formats/csv/write.ts')
  const { splitBreaks, joinBreaks } = await import('../../../src/formats/csv/template.ts')
  const breaks = [{ from: '2026-08-01', to: '2026-08-31', reason: 'summer break; back in September' }, { from: '2026-12-24', to: '2027-01-02' }]
  t.equal(joinBreaks(breaks), '2026-08-01/2026-08-31 summer break; back in September;2026-12-24/2027-01-02')
  t.same(splitBreaks(joinBreaks(breaks)), breaks, 'a ; inside a reason stays in it')
  t.same(splitBreaks('2026-08-01 to 2026-08-31'), ['2026-08-01 to 2026-08-31'], 'not an interval: given back to be reported')
  const scheme = { id: 'sid', name: 'Walk', description: 'd', status: 'active', categories: [], needs: [], audience: [], delivery: ['in_person'],
    accessibility: [], cost: { free: true }, self_referral: true, accepting_referrals: true, languages: ['en'], contact: {}, breaks } as any
  const [row] = schemeRecords({ organisation: { id: 'oid', name: 'Org' }, scheme,
    sessions: [{ session: { venue_id: null, frequency: 'weekly', days: ['mon'], starts: '10:00', ends: '11:00', except_bank_holidays: true }, venue: null }] })
  t.equal(row.breaks, joinBreaks(breaks))
  t.equal(row.except_bank_holidays, 'true')
  const back = readCsv(stringify([Object.keys(row), Object.values(row)]))
  t.same(back.units[0].scheme.doc.breaks, breaks)
  t.same(back.units[0].scheme.doc.sessions[0].except_bank_holidays, true)
  const bad = readCsv(stringify([['organisation_ref', 'scheme_ref', 'scheme_name', 'breaks'], ['O', 's', 'S', 'August']]))
  t.match(bad.units[0].problems, [{ field: 'breaks', level: 'error', message: /"August" is not from\/to dates/ }])
  t.same(bad.units[0].scheme.locate('/breaks/0/to'), { row: 2, field: 'breaks' })
})

t.test('the export reads each session out, and the scheme in one line; the import leaves both alone', async (t) => {
  const { schemeRecords } = await import('../../../src/formats/csv/write.ts')
  const scheme = { id: '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', name: 'Night line', description: 'd', status: 'active', categories: ['befriending'], needs: [], audience: [],
    delivery: ['telephone'], accessibility: [], cost: { free: true }, self_referral: true, accepting_referrals: true, languages: ['en'], contact: {},
    always_open: false, by_arrangement: false, breaks: [{ from: '2027-08-01', to: '2027-08-31', reason: 'summer break' }] } as any
  const rows = schemeRecords({ organisation: { id: '0b5e3f1c-2d4a-4b6c-8d7e-9f0a1b2c3d4e', name: 'Org' }, scheme, sessions: [
    { session: { venue_id: null, frequency: 'weekly', days: ['fri'], starts: '22:00', ends: '02:00', valid_from: '2027-01-01' }, venue: null },
    { session: { venue_id: null, frequency: 'weekly', days: ['sat'], starts: '22:00', ends: '02:00', except_bank_holidays: true }, venue: null },
  ] })
  t.match(rows[0].summary, /^Every Friday, 10pm to 2am, from 1 January 2027, not 1 August to 31 August 2027 \(summer break\)$/)
  t.match(rows[1].summary, /^Every Saturday, 10pm to 2am, not on bank holidays/)
  t.equal(rows[0].schedule_summary, rows[1].schedule_summary, 'the scheme\'s line on each of its rows')
  t.match(rows[0].schedule_summary, /Fridays and Saturdays/)
  const back = readCsv(stringify([Object.keys(rows[0]), ...rows.map((r) => Object.values(r))])).units[0]
  t.notOk('summary' in back.scheme.doc.sessions[0] || 'schedule_summary' in back.scheme.doc, 'the import does not send them back (they are read-only)')
  t.same(back.problems, [], 'and does not complain of them')
})
