/**
 * The iCalendar feed against the schedule rules: each calendar is parsed and expanded by an
 * independent parser (node-ical, with its own RRULE engine and time-zone data), and the
 * occurrences in 60 days from a pinned moment must be exactly nextOccurrences' (src/domain/
 * schedule.ts) for every session — every frequency, except dates, breaks, the bank holidays
 * of England and Wales and of Scotland, sessions past midnight — with each occurrence's end
 * occurrenceSpan's. The moments are before both clock changes of 2027 (28 March, 31 October)
 * and before Christmas; a few dates are also written out by hand.
 */
import t from 'tap'
import ical, { type VEvent } from 'node-ical'
import { buildCalendar, sessionUid, type CalendarScheme, type ListedScheme } from '../../../src/formats/ical/calendar.ts'
import { clockChangeDays, windowFrom, WINDOW_DAYS } from '../../../src/formats/ical/recurrence.ts'
import { nextOccurrences, occurrenceSpan, ukDate, type SessionRule } from '../../../src/domain/schedule.ts'
import { sessionSummary } from '../../../src/domain/schedule-summary.ts'

const DAY_MS = 86_400_000
const HALL = { id: 'hall', name: 'Methodist Hall', address: { line1: '1 Rye Lane', town: 'London', postcode: 'SE15 4ST' }, location: { lat: 51.4693, lon: -0.0692 } }
const EDINBURGH = { id: 'edinburgh', name: 'Leith Library', address: { line1: '28 Ferry Road', town: 'Edinburgh', postcode: 'EH6 4AE' },
  location: { lat: 55.9741, lon: -3.1821 } }
const BREAKS = [{ from: '2027-04-05', to: '2027-04-11', reason: 'Easter' }, { from: '2027-10-25', to: '2027-10-29' }]

const SESSIONS: SessionRule[] = [
  // 0: past midnight on Tuesdays and Saturdays, over both clock changes (Saturday nights 27 March and 30 October)
  { venue_id: 'hall', frequency: 'weekly', days: ['tue', 'sat'], starts: '22:00', ends: '02:00', except_dates: ['2027-03-30', '2027-11-02'] },
  // 1: at 01:30 on Sundays: an hour that does not exist on 28 March and happens twice on 31 October
  { venue_id: null, frequency: 'weekly', days: ['sun'], starts: '01:30', ends: '03:00' },
  // 2: every other Saturday, weeks counted from 4 January 2027's week
  { venue_id: 'hall', frequency: 'fortnightly', days: ['sat'], starts: '10:00', ends: '12:00', valid_from: '2027-01-09' },
  // 3: fortnightly on two days, starting mid-window
  { venue_id: null, frequency: 'fortnightly', days: ['mon', 'thu'], starts: '19:00', ends: '20:30', valid_from: '2027-04-01', except_bank_holidays: true },
  // 4: the last Friday of the month
  { venue_id: 'hall', frequency: 'monthly', days: ['fri'], week_of_month: -1, starts: '14:00', ends: '16:00' },
  // 5: the 2nd Tuesday
  { venue_id: 'hall', frequency: 'monthly', days: ['tue'], week_of_month: 2, starts: '18:00', ends: '19:00' },
  // 6: the first Monday and Wednesday, not on bank holidays
  { venue_id: 'hall', frequency: 'monthly', days: ['mon', 'wed'], week_of_month: 1, starts: '10:30', ends: '12:00', except_bank_holidays: true },
  // 7: the last Monday and Sunday, past midnight
  { venue_id: null, frequency: 'monthly', days: ['mon', 'sun'], week_of_month: -1, starts: '23:00', ends: '01:00' },
  // 8: the 5th Wednesday, in the months that have one
  { venue_id: null, frequency: 'monthly', days: ['wed'], week_of_month: 5, starts: '12:00', ends: '13:00' },
  // 9: once
  { venue_id: 'hall', frequency: 'once', date: '2027-04-20', starts: '11:00', ends: '15:00' },
  { venue_id: 'hall', frequency: 'once', date: '2027-11-06', starts: '11:00', ends: '15:00' },
  // 11: Mondays, not on bank holidays: remote (England and Wales) and in Edinburgh (Scotland)
  { venue_id: null, frequency: 'weekly', days: ['mon'], starts: '18:00', ends: '19:30', except_bank_holidays: true },
  { venue_id: 'edinburgh', frequency: 'weekly', days: ['mon'], starts: '18:00', ends: '19:30', except_bank_holidays: true },
  // 13: weekly with an end mid-window
  { venue_id: 'hall', frequency: 'weekly', days: ['wed'], starts: '09:00', ends: '10:00', valid_from: '2027-03-17', valid_to: '2027-04-21' },
]

function scheme(sessions: SessionRule[], extra: Partial<CalendarScheme> = {}): ListedScheme {
  const doc: CalendarScheme = {
    id: '0d5b1f3e-8c2a-4f6b-9e1d-7a3c5b2e4f60', name: 'Rye Lane Night Line', description: 'Someone to talk to; tea, biscuits, and a chat.', version: 4,
    created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-11-20T16:30:00.000Z', breaks: BREAKS,
    contact: { phone: '020 7946 0958', email: 'hello@example.org.uk', website: 'https://example.org.uk/night-line' },
    organisation: { name: 'Peckham Listening Friends' }, venues: [HALL, EDINBURGH],
    sessions: sessions.map((s) => ({ ...s, summary: sessionSummary(s, BREAKS) })), ...extra,
  }
  return { doc, regions: { hall: 'GB-EAW', edinburgh: 'GB-SCT' } }
}

function parse(text: string): VEvent[] {
  return Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT')
}

/** The occurrences node-ical finds for one UID strictly after `now` and within 60 days: [start, end] instants. */
function expanded(events: VEvent[], uid: string, now: Date): Array<[number, number]> {
  const event = events.find((e) => e.uid === uid)
  if (!event) return []
  return ical.expandRecurringEvent(event, { from: now, to: new Date(now.getTime() + 60 * DAY_MS) })
    .map((i) => [i.start.getTime(), i.end.getTime()] as [number, number])
    .filter(([start]) => start > now.getTime() && start <= now.getTime() + 60 * DAY_MS)
    .sort((a, b) => a[0] - b[0])
}

const MOMENTS = [
  ['before the clocks go forward', new Date('2027-03-14T12:00:00Z')],
  ['before the clocks go back', new Date('2027-10-09T20:00:00Z')],
  ['before Christmas', new Date('2027-12-10T09:00:00Z')],
] as const

for (const [label, now] of MOMENTS) {
  t.test(`60 days of every session ${label} are the schedule's`, async (t) => {
    const listed = scheme(SESSIONS)
    const text = buildCalendar({ title: 'Night Line', schemes: [listed] }, windowFrom(ukDate(now))).toString()
    const events = parse(text)
    const ex = { breaks: BREAKS, regions: listed.regions }
    let total = 0
    SESSIONS.forEach((s, i) => {
      const got = expanded(events, sessionUid(listed.doc.id, i), now)
      const want = nextOccurrences([s], now, { count: 1000, exceptions: ex }).map((x) => Date.parse(x))
      t.same(got.map(([start]) => new Date(start).toISOString()), want.map((x) => new Date(x).toISOString()), `session ${i}: starts`)
      const ends = got.map(([start]) => occurrenceSpan(s, ukDate(new Date(start))).end.toISOString())
      t.same(got.map(([, end]) => new Date(end).toISOString()), ends, `session ${i}: ends`)
      total += got.length
    })
    t.ok(total > 40, `${total} occurrences compared`)
  })
}

t.test('the dates written out by hand', async (t) => {
  const now = new Date('2027-03-14T12:00:00Z')
  const events = parse(buildCalendar({ title: 'x', schemes: [scheme(SESSIONS)] }, windowFrom(ukDate(now))).toString())
  const id = scheme([]).doc.id
  const at = (i: number) => expanded(events, sessionUid(id, i), now).map(([a, b]) => `${new Date(a).toISOString()}/${new Date(b).toISOString()}`)
  // Saturday 27 March, 22:00 GMT to 02:00 BST: three hours, the night the clocks go forward; Tuesday 30 March is an except date
  t.same(at(0).slice(0, 5), [
    '2027-03-16T22:00:00.000Z/2027-03-17T02:00:00.000Z', '2027-03-20T22:00:00.000Z/2027-03-21T02:00:00.000Z',
    '2027-03-23T22:00:00.000Z/2027-03-24T02:00:00.000Z', '2027-03-27T22:00:00.000Z/2027-03-28T01:00:00.000Z',
    '2027-04-03T21:00:00.000Z/2027-04-04T01:00:00.000Z',
  ])
  // 01:30 on 28 March does not exist: read on the winter clock, 02:30 BST, until 03:00 BST
  t.same(at(1).slice(1, 3), ['2027-03-28T01:30:00.000Z/2027-03-28T02:00:00.000Z', '2027-04-04T00:30:00.000Z/2027-04-04T02:00:00.000Z'])
  // the last Friday: 26 March, 30 April (23 April is not the last)
  t.same(at(4).map((x) => x.slice(0, 10)), ['2027-03-26', '2027-04-30'])
  // the first Monday and Wednesday: 5 April is Easter Monday and in the break, 7 April in the break; 3 May is a bank holiday
  t.same(at(6).map((x) => x.slice(0, 10)), ['2027-05-05'])
  // Mondays not on bank holidays: 29 March is Easter Monday in England and Wales, not in Scotland; 3 May is in both; 5 April is in the break
  t.same(at(11).map((x) => x.slice(0, 10)), ['2027-03-15', '2027-03-22', '2027-04-12', '2027-04-19', '2027-04-26', '2027-05-10'])
  t.same(at(12).map((x) => x.slice(0, 10)), ['2027-03-15', '2027-03-22', '2027-03-29', '2027-04-12', '2027-04-19', '2027-04-26', '2027-05-10'])
})

t.test('the events carry the scheme: summary, contact, venue with GEO, UID, SEQUENCE and the VTIMEZONE', async (t) => {
  const listed = scheme(SESSIONS.slice(0, 2))
  const text = buildCalendar({ title: 'Night Line', schemes: [listed] }, windowFrom('2027-03-14')).toString()
  t.match(text, /BEGIN:VTIMEZONE\r\nTZID:Europe\/London\r\n/)
  t.match(text, /TZOFFSETFROM:\+0000\r\nTZOFFSETTO:\+0100\r\nTZNAME:BST\r\nDTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU/)
  t.match(text, /X-WR-CALNAME:Night Line\r\n/)
  t.match(text, /DTSTART;TZID=Europe\/London:20270316T220000\r\nDTEND;TZID=Europe\/London:20270317T020000\r\n/)
  t.match(text, /RRULE:FREQ=WEEKLY;UNTIL=\d{8}T\d{6}Z;BYDAY=TU,SA;WKST=MO\r\n/)
  t.match(text, /EXDATE;TZID=Europe\/London:20270330T220000,/)
  t.match(text, /RECURRENCE-ID:20270327T220000Z\r\n/, 'the night the clocks change is an instance of its own')
  const [first, second] = parse(text).filter((e) => !e.recurrenceid)
  t.equal(first.uid, sessionUid(listed.doc.id, 0))
  t.equal(second.uid, sessionUid(listed.doc.id, 1))
  t.equal(Number(first.sequence), 4)
  t.equal(first.summary, 'Rye Lane Night Line')
  t.equal(first.location, 'Methodist Hall\n1 Rye Lane, London, SE15 4ST')
  t.same(first.geo, { lat: 51.4693, lon: -0.0692 })
  t.equal(first.description, 'Every Tuesday and Saturday, 10pm to 2am, not on 30 March 2027 and 2 November 2027, not 5 April to 11 April 2027 ' +
    '(Easter) and 25 October to 29 October 2027\n\nSomeone to talk to; tea, biscuits, and a chat.\n\n' +
    'Run by Peckham Listening Friends.\nPhone: 020 7946 0958\nEmail: hello@example.org.uk\nWebsite: https://example.org.uk/night-line')
  t.equal(second.location, undefined, 'a remote session has no LOCATION')
  t.equal((first.start as any).tz, 'Europe/London')
  t.equal(first.dtstamp?.toISOString(), '2026-11-20T16:30:00.000Z', 'DTSTAMP is the scheme\'s last change, not the request\'s time')
})

t.test('no events: by arrangement, always open, no sessions, sessions over', async (t) => {
  for (const [label, listed] of [
    ['by arrangement', scheme(SESSIONS, { by_arrangement: true })],
    ['always open', scheme(SESSIONS, { always_open: true })],
    ['no sessions', scheme([])],
    ['over', scheme([{ ...SESSIONS[0], valid_to: '2027-03-13' }, { ...SESSIONS[9], date: '2027-03-01' }])],
    ['every date an exception', scheme([{ ...SESSIONS[9], date: '2027-04-06' }])],
  ] as const) {
    const text = buildCalendar({ title: 'x', schemes: [listed] }, windowFrom('2027-03-14')).toString()
    t.match(text, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n[\s\S]*END:VCALENDAR$/, label)
    t.equal(parse(text).length, 0, label)
  }
})

t.test('the window: a year ahead, and nothing after it', async (t) => {
  const text = buildCalendar({ title: 'x', schemes: [scheme([SESSIONS[11]])] }, windowFrom('2027-03-14')).toString()
  const [event] = parse(text)
  const all = ical.expandRecurringEvent(event, { from: new Date('2027-03-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z') })
  t.equal(ukDate(all[0].start), '2027-03-15')
  t.ok(ukDate(all[all.length - 1].start) <= '2028-03-13' && ukDate(all[all.length - 1].start) > '2028-03-06', `the last is within ${WINDOW_DAYS} days`)
})

t.test('the clock changes a window holds, its first day and the day after its last included', async (t) => {
  t.same([...clockChangeDays(windowFrom('2027-03-14'))], ['2027-03-28', '2027-10-31'])
  t.same([...clockChangeDays(windowFrom('2027-03-28'))], ['2027-03-28', '2027-10-31', '2028-03-26'])
  t.same([...clockChangeDays(windowFrom('2027-10-31'))], ['2027-10-31', '2028-03-26', '2028-10-29'])
  t.same([...clockChangeDays({ first: '2027-03-20', last: '2027-03-27' })], ['2027-03-28'], 'a session on the last day may end on the next')
})
