/**
 * GET /v1/schemes with breaks and bank holidays (issue 13): the date filter (SQL: db/rules.ts
 * sessionRunsOn) and next_occurrences (TypeScript: schedule.ts occursOn) skip a scheme's breaks
 * and, for a session with except_bank_holidays, the bank holidays of its venue's nation —
 * England and Wales for a London venue and for a remote session, Scotland for an Edinburgh one.
 * Items carry the summaries. The clock is pinned at Sunday 20 December 2026, 12:00 UK.
 *
 * Around it: Monday 28 December 2026 is a bank holiday in both calendars (Boxing Day's
 * substitute), Monday 4 January 2027 in Scotland only (2 January's substitute), Monday
 * 29 March 2027 (Easter Monday) in England and Wales only.
 */
import t from 'tap'
import { build } from '../helper.ts'
import { pinnedApp } from '../oracle/app.ts'
import { createOrganisation, createScheme, createVenue, weekly } from '../fixtures/api.ts'

const NOW = new Date('2026-12-20T12:00:00Z')
const EDINBURGH = { address: { line1: '1 High Street', town: 'Edinburgh', postcode: 'EH1 1YZ' }, location: { lat: 55.9497, lon: -3.1883 } }
const CHRISTMAS = { from: '2026-12-24', to: '2027-01-02', reason: 'Christmas' }
const SPRING = { from: '2027-03-01', to: '2027-03-31' }

t.test('the date filter and next occurrences skip breaks and the bank holidays of the venue\'s nation', async (t) => {
  const { app, db } = await build(t)
  const pinned = await pinnedApp(t, db, NOW)
  const { key } = await createOrganisation(app)
  const london = await createVenue(app, key)
  const edinburgh = await createVenue(app, key, EDINBURGH)
  const monday = (venue: string | null, extra = {}) => weekly(venue, { days: ['mon'], starts: '18:00', ends: '19:30', ...extra })
  const make = (name: string, sessions: object[], extra = {}) => createScheme(app, key, { name, sessions, ...extra })
  await make('A London skips bank holidays', [monday(london.id, { except_bank_holidays: true })])
  await make('B Edinburgh skips bank holidays', [monday(edinburgh.id, { except_bank_holidays: true })])
  await make('C London every Monday', [monday(london.id)])
  await make('D Online skips bank holidays', [monday(null, { except_bank_holidays: true })], { delivery: ['online'], service_area: { type: 'national' } })
  await make('E London with breaks', [monday(london.id)], { breaks: [CHRISTMAS, SPRING] })

  const search = async (qs: string) => {
    const res = await pinned.inject(`/pinned/v1/schemes?${qs}`)
    t.equal(res.statusCode, 200, res.body)
    return res.json().items
  }
  const on = async (date: string) => (await search(`date=${date}`)).map((i: any) => i.name[0]).join('')
  t.equal(await on('2026-12-21'), 'ABCDE', 'an ordinary Monday')
  t.equal(await on('2026-12-28'), 'C', 'a bank holiday in both calendars, in the Christmas break')
  t.equal(await on('2027-01-04'), 'ACDE', 'Scotland\'s bank holiday only')
  t.equal(await on('2027-03-29'), 'BC', 'Easter Monday in England and Wales, in the spring break')
  t.equal(await on('2027-03-22'), 'ABCD', 'in the spring break only')

  const items = await search('limit=10')
  const next = Object.fromEntries(items.map((i: any) => [i.name[0], i.next_occurrences.map((x: string) => x.slice(0, 10))]))
  t.same(next, {
    A: ['2026-12-21', '2027-01-04', '2027-01-11'],
    B: ['2026-12-21', '2027-01-11', '2027-01-18'],
    C: ['2026-12-21', '2026-12-28', '2027-01-04'],
    D: ['2026-12-21', '2027-01-04', '2027-01-11'],
    E: ['2026-12-21', '2027-01-04', '2027-01-11'],
  })
  const summaries = Object.fromEntries(items.map((i: any) => [i.name[0], [i.schedule_summary, ...i.matching_sessions.map((s: any) => s.summary)]]))
  t.same(summaries, {
    A: ['Every Monday, 6pm to 7:30pm, not on bank holidays', 'Every Monday, 6pm to 7:30pm, not on bank holidays'],
    B: ['Every Monday, 6pm to 7:30pm, not on bank holidays', 'Every Monday, 6pm to 7:30pm, not on bank holidays'],
    C: ['Every Monday, 6pm to 7:30pm', 'Every Monday, 6pm to 7:30pm'],
    D: ['Every Monday, 6pm to 7:30pm, not on bank holidays', 'Every Monday, 6pm to 7:30pm, not on bank holidays'],
    E: ['Every Monday, 6pm to 7:30pm, not 24 December 2026 to 2 January 2027 (Christmas) and 1 March to 31 March 2027',
      'Every Monday, 6pm to 7:30pm, not 24 December 2026 to 2 January 2027 (Christmas) and 1 March to 31 March 2027'],
  })

  // with a place: the Edinburgh venue's Scottish calendar in the place statement too
  const near = await search(`lat=${EDINBURGH.location.lat}&lon=${EDINBURGH.location.lon}&radius_m=1000&date=2027-01-04`)
  t.same(near.map((i: any) => i.name), [], 'not on Scotland\'s bank holiday')
  const nearOk = await search(`lat=${EDINBURGH.location.lat}&lon=${EDINBURGH.location.lon}&radius_m=1000&date=2027-03-29`)
  t.same(nearOk.map((i: any) => [i.name, i.next_occurrences[1].slice(0, 10)]), [['B Edinburgh skips bank holidays', '2027-01-11']])
})
