/**
 * The schedule in words (src/domain/schedule-summary.ts): a table of rules and the text each
 * must read as (every frequency, week_of_month 1–5 and -1, once, each clause, past midnight,
 * noon and midnight), the scheme's one line, and a property test that reads the text back —
 * the weekdays it names are exactly the weekdays the rule runs on over two years, and its times
 * and dates are the rule's.
 */
import t from 'tap'
import fc from 'fast-check'
import { addDays, occursOn, weekdayCode, type SessionRule } from '../../src/domain/schedule.ts'
import { breakText, clockText, partsOfDay, scheduleSummary, sessionSummary, withSummaries, type Break } from '../../src/domain/schedule-summary.ts'
import { DAY_CODES, dayName } from '../../src/domain/calendar.ts'
import { DAYS, datesFrom } from '../fixtures/session-rules.ts'

const weekly = (days: string[], starts = '18:00', ends = '20:00', extra: Partial<SessionRule> = {}): SessionRule =>
  ({ frequency: 'weekly', days, starts, ends, ...extra })
const monthly = (week: number, days: string[], extra: Partial<SessionRule> = {}): SessionRule =>
  ({ frequency: 'monthly', days, week_of_month: week, starts: '14:00', ends: '16:00', ...extra })

t.test('times: am and pm, 12pm at noon, midnight', async (t) => {
  const cases: Array<[string, string]> = [['18:00', '6pm'], ['10:30', '10:30am'], ['12:00', '12pm'], ['12:30', '12:30pm'], ['00:00', 'midnight'],
    ['00:30', '12:30am'], ['01:05', '1:05am'], ['09:00', '9am'], ['23:59', '11:59pm'], ['11:59', '11:59am']]
  for (const [hhmm, text] of cases) t.equal(clockText(hhmm), text, hhmm)
})

t.test('a session in words', async (t) => {
  const summer: Break = { from: '2026-08-01', to: '2026-08-31', reason: 'summer break' }
  const table: Array<[string, SessionRule, Break[]?]> = [
    ['Every Tuesday, 6pm to 8pm', weekly(['tue'])],
    ['Every Tuesday and Thursday, 6pm to 8pm', weekly(['thu', 'tue'])],
    ['Every Monday, Wednesday and Friday, 9:30am to 11am', weekly(['mon', 'wed', 'fri'], '09:30', '11:00')],
    ['Monday to Friday, 9am to 5pm', weekly(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '17:00')],
    ['Every Saturday and Sunday, 10am to 12pm', weekly(['sat', 'sun'], '10:00', '12:00')],
    ['Every day, 7am to 8am', weekly(DAYS, '07:00', '08:00')],
    ['Every other Tuesday and Thursday, 10:30am to 12pm, from 5 January 2027',
      { frequency: 'fortnightly', days: ['tue', 'thu'], starts: '10:30', ends: '12:00', valid_from: '2027-01-05' }],
    ['First Monday of the month, 2pm to 4pm', monthly(1, ['mon'])],
    ['Second Thursday of the month, 2pm to 4pm', monthly(2, ['thu'])],
    ['Third Wednesday of the month, 2pm to 4pm', monthly(3, ['wed'])],
    ['Fourth Sunday of the month, 2pm to 4pm', monthly(4, ['sun'])],
    ['Fifth Tuesday of the month (when there is one), 2pm to 4pm', monthly(5, ['tue'])],
    ['Last Friday of the month, 2pm to 4pm', monthly(-1, ['fri'])],
    ['Second Tuesday and Thursday of the month, 2pm to 4pm', monthly(2, ['tue', 'thu'])],
    ['Saturday 13 June 2026, 10am to 1pm', { frequency: 'once', date: '2026-06-13', starts: '10:00', ends: '13:00' }],
    // past midnight, to midnight, from midnight
    ['Every Friday, 10pm to 2am', weekly(['fri'], '22:00', '02:00')],
    ['Every Friday, 10pm to midnight', weekly(['fri'], '22:00', '00:00')],
    ['Every Sunday, midnight to 1am', weekly(['sun'], '00:00', '01:00')],
    ['Every Wednesday, 12pm to 12:30pm', weekly(['wed'], '12:00', '12:30')],
    // validity
    ['Every Tuesday, 6pm to 8pm, from 5 January 2027', weekly(['tue'], '18:00', '20:00', { valid_from: '2027-01-05' })],
    ['Every Tuesday, 6pm to 8pm, until 31 March 2027', weekly(['tue'], '18:00', '20:00', { valid_to: '2027-03-31' })],
    ['Every Tuesday, 6pm to 8pm, from 5 January 2027 until 31 March 2027',
      weekly(['tue'], '18:00', '20:00', { valid_from: '2027-01-05', valid_to: '2027-03-31' })],
    // except_dates: the ones it would run on, in order, up to three
    ['Every Friday, 6pm to 8pm, not on 25 December 2026', weekly(['fri'], '18:00', '20:00', { except_dates: ['2026-12-25'] })],
    ['Every Friday, 6pm to 8pm, not on 18 December 2026, 25 December 2026 and 1 January 2027',
      weekly(['fri'], '18:00', '20:00', { except_dates: ['2027-01-01', '2026-12-25', '2026-12-18'] })],
    ['Every Friday, 6pm to 8pm, not on 11 December 2026, 18 December 2026, 25 December 2026 and 1 other date',
      weekly(['fri'], '18:00', '20:00', { except_dates: ['2027-01-01', '2026-12-25', '2026-12-18', '2026-12-11'] })],
    ['Every Friday, 6pm to 8pm, not on 4 December 2026, 11 December 2026, 18 December 2026 and 2 other dates',
      weekly(['fri'], '18:00', '20:00', { except_dates: ['2027-01-01', '2026-12-25', '2026-12-18', '2026-12-11', '2026-12-04'] })],
    ['Every Friday, 6pm to 8pm', weekly(['fri'], '18:00', '20:00', { except_dates: ['2026-12-24'] }), []],
    ['Every Tuesday, 6pm to 8pm, not on bank holidays', weekly(['tue'], '18:00', '20:00', { except_bank_holidays: true })],
    // breaks
    ['Every Tuesday, 6pm to 8pm, not 1 August to 31 August 2026 (summer break)', weekly(['tue']), [summer]],
    ['Every Tuesday, 6pm to 8pm, not 1 August to 31 August 2026 (summer break) and 21 December 2026 to 3 January 2027',
      weekly(['tue']), [{ from: '2026-12-21', to: '2027-01-03' }, summer]],
    ['Every Tuesday, 6pm to 8pm, from 1 January 2027', weekly(['tue'], '18:00', '20:00', { valid_from: '2027-01-01' }), [summer]],
    ['Saturday 15 August 2026, 10am to 1pm, not 1 August to 31 August 2026 (summer break)',
      { frequency: 'once', date: '2026-08-15', starts: '10:00', ends: '13:00' }, [summer, { from: '2026-12-24', to: '2026-12-24' }]],
    // every clause at once, in order
    ['Every other Monday, 10pm to 1am, from 5 January 2026 until 31 December 2026, not on 2 February 2026, not on bank holidays, ' +
      'not 25 December 2026 (Christmas)',
    { frequency: 'fortnightly', days: ['mon'], starts: '22:00', ends: '01:00', valid_from: '2026-01-05', valid_to: '2026-12-31',
      except_dates: ['2026-02-02', '2026-02-09'], except_bank_holidays: true }, [{ from: '2026-12-25', to: '2026-12-25', reason: 'Christmas' }]],
  ]
  for (const [text, rule, breaks] of table) t.equal(sessionSummary(rule, breaks), text, text)
})

t.test('breaks in words', async (t) => {
  t.equal(breakText({ from: '2026-12-25', to: '2026-12-25' }), '25 December 2026')
  t.equal(breakText({ from: '2026-08-01', to: '2026-08-31', reason: 'summer break' }), '1 August to 31 August 2026 (summer break)')
  t.equal(breakText({ from: '2026-12-21', to: '2027-01-03' }), '21 December 2026 to 3 January 2027')
})

t.test('a scheme\'s one line', async (t) => {
  const table: Array<[string, Parameters<typeof scheduleSummary>[0]]> = [
    ['Open 24 hours, every day', { sessions: [weekly(['tue'])], always_open: true }],
    ['Times arranged with you', { sessions: [], by_arrangement: true }],
    ['Contact the scheme for times', { sessions: [] }],
    ['Every Tuesday, 6pm to 8pm, not 1 August to 31 August 2026', { sessions: [weekly(['tue'])], breaks: [{ from: '2026-08-01', to: '2026-08-31' }] }],
    ['Every Tuesday, 6pm to 8pm, or at times arranged with you', { sessions: [weekly(['tue'])], by_arrangement: true }],
    ['Tuesdays and Thursdays, evenings', { sessions: [weekly(['tue'], '18:00', '20:00'), weekly(['thu'], '19:00', '21:00')] }],
    ['Tuesdays and Thursdays, 6pm to 8pm', { sessions: [weekly(['tue']), weekly(['thu'])] }],
    ['Mondays, Wednesdays and some Fridays, mornings and afternoons',
      { sessions: [weekly(['mon', 'wed'], '10:00', '12:00'), monthly(-1, ['fri'])] }],
    ['Monday to Friday, mornings and evenings', { sessions: [weekly(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '10:00'), weekly(['tue'], '18:00', '19:00')] }],
    ['Every day, afternoons and evenings', { sessions: [weekly(DAYS, '14:00', '15:00'), weekly(['sat'], '18:00', '19:00')] }],
    ['Some Saturdays and Sundays, mornings and nights',
      { sessions: [{ frequency: 'fortnightly', days: ['sat'], starts: '10:00', ends: '11:00', valid_from: '2026-01-03' }, monthly(1, ['sun'], { starts: '23:00', ends: '01:00' })] }],
    ['Fridays, evenings and nights', { sessions: [weekly(['fri'], '22:00', '02:00'), weekly(['fri'], '18:00', '19:00')] }],
    ['Saturday 13 June 2026 and Saturday 20 June 2026, 10am to 1pm',
      { sessions: [{ frequency: 'once', date: '2026-06-20', starts: '10:00', ends: '13:00' }, { frequency: 'once', date: '2026-06-13', starts: '10:00', ends: '13:00' }] }],
    ['Tuesdays and Thursdays, evenings, or at times arranged with you',
      { sessions: [weekly(['tue'], '18:00', '20:00'), weekly(['thu'], '19:00', '21:00')], by_arrangement: true }],
  ]
  for (const [text, scheme] of table) t.equal(scheduleSummary(scheme), text, text)
})

t.test('parts of the day follow the period windows; the rest is night', async (t) => {
  t.same(partsOfDay('05:00', '07:00'), ['morning', 'night'])
  t.same(partsOfDay('11:00', '13:00'), ['morning', 'afternoon'])
  t.same(partsOfDay('17:00', '23:00'), ['evening'])
  t.same(partsOfDay('22:00', '02:00'), ['evening', 'night'])
  t.same(partsOfDay('00:00', '06:00'), ['night'])
  t.same(partsOfDay('23:00', '06:00'), ['night'], 'into the next morning, up to 06:00 (the latest a session may end)')
})

t.test('a document gets its summaries; a stored document is not changed', async (t) => {
  const stored = { id: 'x', breaks: [{ from: '2026-08-01', to: '2026-08-31', reason: 'summer break' }], sessions: [weekly(['tue'])] }
  const shown = withSummaries(stored)
  t.same(shown, { ...stored, schedule_summary: 'Every Tuesday, 6pm to 8pm, not 1 August to 31 August 2026 (summer break)',
    sessions: [{ ...weekly(['tue']), summary: 'Every Tuesday, 6pm to 8pm, not 1 August to 31 August 2026 (summer break)' }] })
  t.notOk('summary' in stored.sessions[0], 'the stored one keeps no text')
  t.equal(withSummaries({ sessions: [], by_arrangement: true, always_open: false }).schedule_summary, 'Times arranged with you',
    'the flags are read from the document when it has them')
})

// ---- the text read back: an oracle that knows only the words ----

const NAMES = new Map(DAY_CODES.map((d) => [dayName(d), d]))
/** Weekday codes the words name: 'Every day', 'Monday to Friday', 'Tuesday and Thursday'. */
function daysNamed(when: string): string[] {
  if (/^every day$/i.test(when)) return [...DAY_CODES]
  const expanded = when.replace(/(\w+day) to (\w+day)/, (_all, a: string, b: string) =>
    DAY_CODES.slice(DAY_CODES.indexOf(NAMES.get(a)!), DAY_CODES.indexOf(NAMES.get(b)!) + 1).map(dayName).join(', '))
  return [...expanded.matchAll(/\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/g)].map((m) => NAMES.get(m[1])!)
}
/** '6pm' → '18:00', '10:30am' → '10:30', '12pm' → '12:00', 'midnight' → '00:00'. */
function clockOf(text: string): string {
  if (text === 'midnight') return '00:00'
  const m = /^(\d{1,2})(?::(\d{2}))?(am|pm)$/.exec(text)!
  const h = (Number(m[1]) % 12) + (m[3] === 'pm' ? 12 : 0)
  return `${String(h).padStart(2, '0')}:${m[2] ?? '00'}`
}
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const CLOCK = '(?:midnight|\\d{1,2}(?::\\d{2})?[ap]m)'
/** The text cut at its times: [when, starts, ends]. */
function split(text: string): [string, string, string] {
  const m = new RegExp(`^(.*?), (${CLOCK}) to (${CLOCK})(?:, |$)`).exec(text)!
  return [m[1], m[2], m[3]]
}
const dateOf = (text: string) => {
  const m = /(\d{1,2}) (\w+) (\d{4})/.exec(text)!
  return `${m[3]}-${String(MONTHS.indexOf(m[2]) + 1).padStart(2, '0')}-${m[1].padStart(2, '0')}`
}

const minuteArb = fc.integer({ min: 0, max: 24 * 4 - 1 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`)
const fromArb = datesFrom('2026-01-01')
const ruleArb: fc.Arbitrary<SessionRule> = fc.record({
  frequency: fc.constantFrom('weekly', 'fortnightly', 'monthly', 'once'),
  days: fc.subarray(DAYS, { minLength: 1 }),
  week_of_month: fc.constantFrom(1, 2, 3, 4, 5, -1),
  date: fromArb,
  starts: minuteArb,
  ends: minuteArb,
  valid_from: fromArb,
}).filter((r) => r.starts !== r.ends).map((r) => (r.frequency === 'once'
  ? { frequency: 'once', date: r.date, starts: r.starts, ends: r.ends }
  : { frequency: r.frequency, days: r.days, starts: r.starts, ends: r.ends, valid_from: r.valid_from,
      ...(r.frequency === 'monthly' ? { week_of_month: r.week_of_month } : {}) }) as SessionRule)

t.test('the words agree with the rule: weekdays named = weekdays it runs on, and its times and dates', async (t) => {
  fc.assert(fc.property(ruleArb, (rule) => {
    const text = sessionSummary(rule)
    const [when, from, to] = split(text)
    if (clockOf(from) !== rule.starts || clockOf(to) !== rule.ends) return false
    if (rule.frequency === 'once') return dateOf(when) === rule.date && daysNamed(when).join() === weekdayCode(rule.date!)
    // two years from valid_from hold every listed weekday of every frequency (a fifth Tuesday too)
    const runs = new Set<string>()
    for (let i = 0; i < 731; i++) {
      const d = addDays(rule.valid_from!, i)
      if (occursOn(rule, d)) runs.add(weekdayCode(d))
    }
    const named = daysNamed(when)
    const fromClause = text.includes(`from ${rule.valid_from!.slice(8, 10).replace(/^0/, '')} `) && dateOf(text.split('from ')[1]) === rule.valid_from
    return fromClause && named.length === runs.size && named.every((d) => runs.has(d))
  }), { seed: 20261203, numRuns: 2000 })
  t.pass('2000 rules read back')
})

t.test('the scheme\'s days are the days its sessions run on', async (t) => {
  fc.assert(fc.property(fc.array(ruleArb.filter((r) => r.frequency !== 'once'), { minLength: 2, maxLength: 4 }), (rules) => {
    const text = scheduleSummary({ sessions: rules })
    // the days, then the times or the parts of the day
    const m = new RegExp(`^(.*?), (?:${CLOCK} to ${CLOCK}|(?:(?:mornings|afternoons|evenings|nights)(?:, | and )?)+)$`).exec(text)
    if (!m) return false
    const named = daysNamed(m[1].replace(/days\b/g, 'day'))
    const runs = new Set(rules.flatMap((r) => r.days ?? []))
    return named.length === runs.size && named.every((d) => runs.has(d))
  }), { seed: 20261204, numRuns: 1000 })
  t.pass('1000 schemes read back')
})
