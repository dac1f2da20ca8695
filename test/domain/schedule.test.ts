import t from 'tap'
import fc from 'fast-check'
import {
  addDays, formatUk, isCalendarDate, isCurrent, nextOccurrences, occurrenceSpan, occursOn, ukDate, ukInstant, ukOffsetMinutes, weekdayCode, type SessionRule,
} from '../../src/domain/schedule.ts'

const weekly = (days: string[], extra: Partial<SessionRule> = {}): SessionRule => ({ frequency: 'weekly', days, starts: '18:00', ends: '19:00', ...extra })

t.test('weekdays and calendar dates', async (t) => {
  t.equal(weekdayCode('2026-11-21'), 'sat')
  t.equal(weekdayCode('2027-03-28'), 'sun')
  t.equal(weekdayCode('1970-01-01'), 'thu')
  t.equal(addDays('2028-02-28', 1), '2028-02-29', 'leap day')
  t.equal(addDays('2026-12-31', 1), '2027-01-01')
  // bad inputs tried: an impossible day, a 13th month, a wrong shape
  for (const bad of ['2027-02-29', '2026-13-01', '2026-1-01', '26-11-21', '2026-11-21T00:00']) t.notOk(isCalendarDate(bad), bad)
  t.ok(isCalendarDate('2028-02-29'))
})

t.test('UK clock changes: last Sundays of March and October 2027', async (t) => {
  // 28 March 2027 and 31 October 2027 are the last Sundays.
  const daily = weekly(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
  t.same(nextOccurrences([daily], new Date('2027-03-26T12:00:00Z')),
    ['2027-03-26T18:00:00Z', '2027-03-27T18:00:00Z', '2027-03-28T18:00:00+01:00'], 'spring: winter Z until the Sunday, then +01:00')
  t.same(nextOccurrences([daily], new Date('2027-10-29T12:00:00Z')),
    ['2027-10-29T18:00:00+01:00', '2027-10-30T18:00:00+01:00', '2027-10-31T18:00:00Z'], 'autumn: +01:00 until the Sunday, then Z')
  t.equal(ukInstant('2027-03-28', '18:00').toISOString(), '2027-03-28T17:00:00.000Z', '18:00 BST is 17:00 UTC')
  t.equal(ukInstant('2027-10-31', '18:00').toISOString(), '2027-10-31T18:00:00.000Z')
  // 01:30 does not exist on 28 March (clocks go 01:00 → 02:00): read on the winter clock
  t.equal(formatUk(ukInstant('2027-03-28', '01:30')), '2027-03-28T02:30:00+01:00')
  // 01:30 happens twice on 31 October: the first (summer) one
  t.equal(formatUk(ukInstant('2027-10-31', '01:30')), '2027-10-31T01:30:00+01:00')
  t.equal(ukOffsetMinutes(new Date('2027-03-28T00:59:59Z')), 0)
  t.equal(ukOffsetMinutes(new Date('2027-03-28T01:00:00Z')), 60)
  t.equal(ukOffsetMinutes(new Date('2027-10-31T00:59:59Z')), 60)
  t.equal(ukOffsetMinutes(new Date('2027-10-31T01:00:00Z')), 0)
  t.equal(ukDate(new Date('2027-06-30T23:30:00Z')), '2027-07-01', 'UK date is a day ahead of UTC just before midnight BST')
  t.equal(ukDate(new Date('2027-01-31T23:30:00Z')), '2027-01-31')
})

t.test('the UK offset follows the EU rule (last Sundays, 01:00 UTC) in 2026–2035', async (t) => {
  const lastSunday = (y: number, m: number) => {
    const d = new Date(Date.UTC(y, m + 1, 0))
    return Date.UTC(y, m, d.getUTCDate() - d.getUTCDay(), 1)
  }
  fc.assert(fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2035, 11, 31) }), (ms) => {
    const y = new Date(ms).getUTCFullYear()
    const summer = ms >= lastSunday(y, 2) && ms < lastSunday(y, 9)
    return ukOffsetMinutes(new Date(ms)) === (summer ? 60 : 0)
  }), { seed: 20270328, numRuns: 2000 })
})

t.test('fortnightly parity counts weeks from the Monday of valid_from\'s week', async (t) => {
  // valid_from Wednesday 4 Nov 2026: its week's Monday is 2 Nov.
  const sat = { frequency: 'fortnightly', days: ['sat'], starts: '10:00', valid_from: '2026-11-04' } as SessionRule
  t.ok(occursOn(sat, '2026-11-07'), 'week 0')
  t.notOk(occursOn(sat, '2026-11-14'), 'week 1')
  t.ok(occursOn(sat, '2026-11-21'), 'week 2')
  t.notOk(occursOn(sat, '2026-10-31'), 'before valid_from')
  // valid_from a Sunday: the Monday of its week is six days earlier, before valid_from
  const mon = { frequency: 'fortnightly', days: ['mon'], starts: '10:00', valid_from: '2026-11-08' } as SessionRule
  t.notOk(occursOn(mon, '2026-11-02'), 'that Monday is before valid_from')
  t.notOk(occursOn(mon, '2026-11-09'), 'week 1')
  t.ok(occursOn(mon, '2026-11-16'), 'week 2')
  t.ok(occursOn(mon, '2027-11-15'), 'a year on: 52 weeks, even')
})

t.test('monthly: nth and last weekday, each listed day separately', async (t) => {
  const last = { frequency: 'monthly', days: ['wed'], week_of_month: -1, starts: '14:00' } as SessionRule
  t.ok(occursOn(last, '2026-11-25'))
  t.notOk(occursOn(last, '2026-11-18'))
  t.ok(occursOn(last, '2026-12-30'))
  t.ok(occursOn(last, '2027-03-31'), 'last day of the month is a Wednesday')
  const second = { frequency: 'monthly', days: ['tue', 'thu'], week_of_month: 2, starts: '14:00' } as SessionRule
  t.ok(occursOn(second, '2026-12-08'), 'second Tuesday')
  t.ok(occursOn(second, '2026-12-10'), 'second Thursday')
  t.notOk(occursOn(second, '2026-12-01'), 'first Tuesday')
  t.notOk(occursOn(second, '2026-12-15'), 'third Tuesday')
  const fifth = { frequency: 'monthly', days: ['tue'], week_of_month: 5, starts: '14:00' } as SessionRule
  t.ok(occursOn(fifth, '2026-12-29'), 'December 2026 has five Tuesdays')
  t.notOk(['2027-02-02', '2027-02-09', '2027-02-16', '2027-02-23'].some((d) => occursOn(fifth, d)), 'February 2027 has four')
})

t.test('once, validity, except_dates, current', async (t) => {
  const once = { frequency: 'once', date: '2026-12-20', starts: '19:00' } as SessionRule
  t.ok(occursOn(once, '2026-12-20'))
  t.notOk(occursOn(once, '2026-12-27'), 'same weekday, another date')
  const w = weekly(['tue'], { valid_from: '2026-12-01', valid_to: '2026-12-22', except_dates: ['2026-12-15'] })
  t.same(['2026-11-24', '2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29'].map((d) => occursOn(w, d)), [false, true, true, false, true, false])
  t.ok(isCurrent(w, '2026-12-22'), 'valid_to today is current')
  t.notOk(isCurrent(w, '2026-12-23'))
  t.ok(isCurrent(weekly(['tue']), '2099-01-01'), 'no valid_to')
  t.ok(isCurrent(once, '2026-12-20'))
  t.notOk(isCurrent(once, '2026-12-21'))
})

t.test('next occurrences: strictly after now, within 60 × 24 h, ascending, three at most', async (t) => {
  const tue = weekly(['tue'])
  // now is exactly a start: that one is not "after now"
  t.same(nextOccurrences([tue], new Date('2026-11-24T18:00:00Z')), ['2026-12-01T18:00:00Z', '2026-12-08T18:00:00Z', '2026-12-15T18:00:00Z'])
  t.same(nextOccurrences([tue], new Date('2026-11-24T17:59:59Z'), { count: 1 }), ['2026-11-24T18:00:00Z'])
  // a once session exactly 60 days on is in; a minute more is out
  const now = new Date('2026-11-21T18:00:00Z')
  t.same(nextOccurrences([{ frequency: 'once', date: '2027-01-20', starts: '18:00' }], now), ['2027-01-20T18:00:00Z'])
  t.same(nextOccurrences([{ frequency: 'once', date: '2027-01-20', starts: '18:01' }], now), [])
  // two sessions merged in time order; a start shared by both counted once
  const sat = weekly(['sat'], { starts: '10:00' })
  t.same(nextOccurrences([tue, sat, weekly(['tue'])], new Date('2026-11-21T12:00:00Z')), ['2026-11-24T18:00:00Z', '2026-11-28T10:00:00Z', '2026-12-01T18:00:00Z'])
  t.same(nextOccurrences([weekly(['tue'], { valid_to: '2026-11-01' })], now), [], 'ended')
  t.same(nextOccurrences([], now), [])
  // summer: BST offset
  t.same(nextOccurrences([tue], new Date('2026-05-30T12:00:00Z'), { count: 1 }), ['2026-06-02T18:00:00+01:00'])
})

t.test('breaks and bank holidays stop a session (Exceptions)', async (t) => {
  const mon = weekly(['mon'], { venue_id: 'hall' })
  // 2026-08-31 is the summer bank holiday in England and Wales; Scotland's was 2026-08-03
  t.ok(occursOn(mon, '2026-08-31'), 'without except_bank_holidays it runs on a bank holiday')
  const skips = { ...mon, except_bank_holidays: true }
  t.notOk(occursOn(skips, '2026-08-31'), 'England and Wales by default (a venue not listed)')
  t.ok(occursOn(skips, '2026-08-31', { regions: { hall: 'GB-SCT' } }), 'in Scotland 31 August is a working day')
  t.notOk(occursOn(skips, '2026-08-03', { regions: { hall: 'GB-SCT' } }), 'and 3 August is its bank holiday')
  t.ok(occursOn(skips, '2026-08-03'), 'which England and Wales work')
  t.notOk(occursOn({ ...skips, venue_id: null }, '2026-08-31', { regions: { hall: 'GB-SCT' } }), 'a remote session keeps England and Wales\'s')
  const august = { breaks: [{ from: '2026-08-01', to: '2026-08-31' }] }
  t.notOk(occursOn(mon, '2026-08-03', august), 'inside a break')
  t.notOk(occursOn(mon, '2026-08-31', august), 'its last day is included')
  t.ok(occursOn(mon, '2026-09-07', august), 'after it')
  t.same(nextOccurrences([mon], new Date('2026-07-25T12:00:00Z'), { exceptions: august }),
    ['2026-07-27T18:00:00+01:00', '2026-09-07T18:00:00+01:00', '2026-09-14T18:00:00+01:00'], 'next occurrences skip the break')
  t.same(nextOccurrences([skips], new Date('2026-08-25T12:00:00Z'), { count: 2 }), ['2026-09-07T18:00:00+01:00', '2026-09-14T18:00:00+01:00'],
    'and the bank holiday')
})

t.test('a session past midnight: its span follows the clocks on the nights they change', async (t) => {
  const night = { starts: '22:00', ends: '02:00' }
  const hours = (d: string) => { const { start, end } = occurrenceSpan(night, d); return (end.getTime() - start.getTime()) / 3_600_000 }
  t.equal(hours('2026-12-04'), 4, 'a winter Friday: four hours')
  t.equal(hours('2027-07-02'), 4, 'a summer Friday: four hours')
  t.equal(hours('2027-03-27'), 3, 'Saturday 27 March 2027, the clocks go forward at 01:00: three hours')
  t.equal(hours('2026-10-24'), 5, 'Saturday 24 October 2026, the clocks go back at 02:00: five hours')
  t.same(occurrenceSpan(night, '2026-10-24').end.toISOString(), '2026-10-25T02:00:00.000Z', 'it ends at 02:00 GMT, after the change')
  t.same(occurrenceSpan(night, '2027-03-27').end.toISOString(), '2027-03-28T01:00:00.000Z', 'it ends at 02:00 BST')
  const day = occurrenceSpan({ starts: '10:00', ends: '11:30' }, '2026-12-04')
  t.equal((day.end.getTime() - day.start.getTime()) / 60_000, 90, 'a day session: as written')
  // next occurrences list the starts, on the day each belongs to
  const weekly = { frequency: 'weekly' as const, days: ['sat'], ...night }
  t.same(nextOccurrences([weekly], new Date('2026-10-24T12:00:00Z'), { count: 2 }), ['2026-10-24T22:00:00+01:00', '2026-10-31T22:00:00Z'])
  t.same(nextOccurrences([weekly], new Date('2027-03-27T12:00:00Z'), { count: 2 }), ['2027-03-27T22:00:00Z', '2027-04-03T22:00:00+01:00'])
  t.same(nextOccurrences([weekly], new Date('2026-10-24T21:30:00Z'), { count: 1 }), ['2026-10-31T22:00:00Z'],
    'once it has started, the next is a week later')
})
