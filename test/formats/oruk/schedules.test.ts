import t from 'tap'
import { toSchedule, dayFromHsds, weekdayOf } from '../../../src/formats/oruk/schedules.ts'

const base = { position: 0, venue_id: null, starts: '18:00', ends: '19:30' }

t.test('sessions become HSDS schedule rows', async (t) => {
  t.match(toSchedule('s', { ...base, frequency: 'weekly', days: ['mon', 'sun'] }), { freq: 'WEEKLY', interval: 1, byday: 'MO,SU', opens_at: '18:00', closes_at: '19:30', description: 'Every Monday and Sunday, 6pm to 7:30pm' })
  const f = toSchedule('s', { ...base, frequency: 'fortnightly', days: ['wed'], valid_from: '2026-01-07', valid_to: '2026-12-30' })
  t.match(f, { freq: 'WEEKLY', interval: 2, byday: 'WE', dtstart: '2026-01-07', valid_from: '2026-01-07', valid_to: '2026-12-30' })
  t.match(toSchedule('s', { ...base, frequency: 'monthly', days: ['tue', 'thu'], week_of_month: 2 }), { freq: 'MONTHLY', interval: 1, byday: '2TU,2TH', description: /^Second Tuesday and Thursday of the month/ })
  t.match(toSchedule('s', { ...base, frequency: 'monthly', days: ['fri'], week_of_month: -1 }), { byday: '-1FR', description: /^Last Friday/ })
  const once = toSchedule('s', { ...base, frequency: 'once', date: '2026-06-02' })
  t.match(once, { freq: 'WEEKLY', byday: 'TU', dtstart: '2026-06-02', valid_from: '2026-06-02', valid_to: '2026-06-02' })
  const weekly = toSchedule('s', { ...base, frequency: 'weekly', days: ['sat'], except_dates: ['2026-12-26', '2027-01-02'], notes: 'Bring water' }, 'sal-id', 'In person')
  t.match(weekly, { service_at_location_id: 'sal-id', attending_type: 'In person', notes: 'Bring water',
    description: 'Every Saturday, 6pm to 7:30pm, not on 26 December 2026 and 2 January 2027' })
  t.notOk('dtstart' in weekly, 'weekly has no dtstart')
  t.notOk('valid_from' in weekly || 'valid_to' in weekly || 'service_at_location_id' in toSchedule('s', { ...base, frequency: 'weekly', days: ['sat'] }), 'optional fields left out')
  t.not(toSchedule('s', { ...base, position: 1, frequency: 'weekly', days: ['sat'] }).id, weekly.id, 'one id per session position')
})

t.test('the description is the session\'s summary, with the scheme\'s breaks and the bank holidays it skips', async (t) => {
  const row = toSchedule('s', { ...base, frequency: 'weekly', days: ['tue'], except_bank_holidays: true }, undefined, undefined,
    [{ from: '2026-08-01', to: '2026-08-31', reason: 'summer break' }])
  t.equal(row.description, 'Every Tuesday, 6pm to 7:30pm, not on bank holidays, not 1 August to 31 August 2026 (summer break)')
  t.equal(toSchedule('s', { ...base, frequency: 'weekly', days: ['fri'], starts: '22:00', ends: '02:00' }).description, 'Every Friday, 10pm to 2am',
    'past midnight')
})

t.test('HSDS day codes, any case; weekday of a date', async (t) => {
  t.equal(dayFromHsds('mo'), 'mon')
  t.equal(dayFromHsds('Su'), 'sun')
  t.equal(dayFromHsds('XX'), undefined)
  t.equal(weekdayOf('2026-11-24'), 'tue')
  t.equal(weekdayOf('2026-03-29'), 'sun', 'the day the clocks go forward')
})
