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
