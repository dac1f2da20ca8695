/**
 * The SQL rules (src/db/rules.ts) and their TypeScript twins (src/domain/schedule.ts,
 * calendar.ts) give the same answers: runs on a date (with its scheme's breaks and its venue's
 * bank holidays) and is current, weekday of a date, runs on one of some days, overlaps a period.
 */
import t from 'tap'
import fc from 'fast-check'
import { sql } from 'drizzle-orm'
import { freshDb } from '../helper.ts'
import { clockTime, crossesMidnight, endsBefore, inPeriod, PERIODS, startsAfter, validSpan, type PeriodCode } from '../../src/domain/calendar.ts'
import { addDays, isCurrent, occursOn, weekdayCode, type Exceptions, type SessionRule } from '../../src/domain/schedule.ts'
import { isBankHoliday } from '../../src/domain/bank-holidays.ts'
import {
  schemePublished, sessionCurrent, sessionEndsBefore, sessionInPeriod, sessionOnDays, sessionRunsOn, sessionStartsAfter, weekdayOf,
} from '../../src/db/rules.ts'
import { breakColumns } from '../../src/db/columns.ts'
import { refreshBankHolidays } from '../../src/db/bank-holidays.ts'
import { DAYS, datesFrom, exceptionsArb, sessionRuleArb } from '../fixtures/session-rules.ts'

const weekly = (days: string[], extra: Partial<SessionRule> = {}): SessionRule => ({ frequency: 'weekly', days, starts: '10:00', ends: '11:00', ...extra })

// The SQL date rule (the search's date filter) and occursOn must agree, exceptions included.
const dateArb = datesFrom('2026-01-01')
const sessionArb = sessionRuleArb(dateArb, fc.constant('10:00'), '2026-02-04')

t.test('SQL runsOn and isCurrent agree with occursOn and isCurrent, breaks and bank holidays included', async (t) => {
  const db = await freshDb(t)
  // the table as a migrate fills it, for every year the dates reach
  await refreshBankHolidays(db, [2025, 2026, 2027, 2028, 2029])
  const cases: Array<[SessionRule, string, Exceptions]> = fc.sample(fc.tuple(sessionArb, dateArb, exceptionsArb(dateArb)), { seed: 42, numRuns: 3000 })
    .map(([s, d, ex]) => [{ ...s, venue_id: ex.regions ? 'venue' : null }, d, ex])
  // also every day of a year for one session of each frequency, skipping bank holidays, in each calendar and remote
  const fixed: SessionRule[] = [
    weekly(['mon', 'fri']),
    { frequency: 'fortnightly', days: ['sat', 'sun'], starts: '10:00', valid_from: '2026-03-05' },
    { frequency: 'monthly', days: ['tue', 'thu'], week_of_month: -1, starts: '10:00' },
    { frequency: 'monthly', days: ['sun'], week_of_month: 5, starts: '10:00' },
    weekly(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { except_bank_holidays: true }),
  ]
  const calendars: Exceptions[] = [{}, { regions: { venue: 'GB-EAW' } }, { regions: { venue: 'GB-SCT' } }, { regions: { venue: 'GB-NIR' } },
    { breaks: [{ from: '2026-08-01', to: '2026-08-31' }, { from: '2026-12-24', to: '2027-01-02' }] }]
  for (const s of fixed) {
    for (const ex of calendars) for (let i = 0; i < 366; i++) cases.push([{ ...s, venue_id: ex.regions ? 'venue' : null }, addDays('2026-06-01', i), ex])
  }
  // the table's columns are NOT NULL with '{}' defaults; a session's exceptions come from its own columns here
  const rows = cases.map(([s, d, ex], i) => ({ i, d, ...s, days: s.days ?? [], except_dates: s.except_dates ?? [],
    except_bank_holidays: !!s.except_bank_holidays, breaks: ex.breaks ?? [], region: ex.regions?.venue ?? 'GB-EAW' }))
  const [, breakDays] = breakColumns(sql`ss.breaks`)[1]
  const result = await db.query<{ i: number; runs: boolean; current: boolean }>(sql`
    SELECT ss.i, ${sessionRunsOn('ss', sql`ss.d`, { breakDays, region: sql`ss.region` })} AS runs,
      ${sessionCurrent('ss', sql`'2026-06-01'::date`)} AS current
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS ss(i int, d date, frequency text, days text[],
      week_of_month int, date date, valid_from date, valid_to date, except_dates date[], except_bank_holidays boolean, breaks jsonb, region text)
    ORDER BY ss.i`)
  t.equal(result.length, cases.length)
  let disagreements = 0
  for (const r of result) {
    const [s, d, ex] = cases[r.i]
    if (r.runs !== occursOn(s, d, ex) || r.current !== isCurrent(s, '2026-06-01')) {
      if (disagreements++ < 5) t.fail(`disagree on ${JSON.stringify(s)} ${d} ${JSON.stringify(ex)}: sql runs=${r.runs} current=${r.current}`)
    }
  }
  t.equal(disagreements, 0, `${cases.length} session × date pairs`)
  t.ok(result.filter((r) => r.runs).length > 1000, 'enough of them run to mean something')
  const stopped = (why: (s: SessionRule, d: string, ex: Exceptions) => boolean) =>
    cases.filter(([s, d, ex]) => why(s, d, ex) && occursOn({ ...s, except_bank_holidays: false }, d, { ...ex, breaks: [] })).length
  t.ok(stopped((s, d, ex) => !!s.except_bank_holidays && isBankHoliday(ex.regions?.venue ?? 'GB-EAW', d)) > 30, 'some are stopped by a bank holiday')
  const inBreaks = stopped((_s, d, ex) => !!ex.breaks?.some((b) => b.from <= d && d <= b.to))
  t.ok(inBreaks > 50, `some by a break (${inBreaks})`)
})

t.test('weekdayOf agrees with weekdayCode for every day of three years', async (t) => {
  const db = await freshDb(t)
  const dates = Array.from({ length: 3 * 366 }, (_, i) => addDays('2026-01-01', i))
  const rows = await db.query<{ d: string; w: string }>(sql`
    SELECT to_char(d, 'YYYY-MM-DD') AS d, ${weekdayOf(sql`d`)} AS w FROM unnest(${sql.param(dates)}::date[]) AS d ORDER BY d`)
  t.equal(rows.length, dates.length)
  t.same(rows.filter((r) => r.w !== weekdayCode(r.d)), [], 'no day differs')
})

t.test('sessionOnDays, sessionInPeriod, sessionStartsAfter and sessionEndsBefore agree with the TypeScript rules', async (t) => {
  const db = await freshDb(t)
  const minutes = fc.integer({ min: 0, max: 24 * 60 - 1 })
  const cases = fc.sample(fc.record({
    frequency: fc.constantFrom('weekly', 'fortnightly', 'monthly', 'once'),
    days: fc.subarray(DAYS, { minLength: 1 }),
    date: datesFrom('2026-01-01'),
    asked: fc.subarray(DAYS, { minLength: 1 }),
    period: fc.constantFrom(...(Object.keys(PERIODS) as PeriodCode[])),
    // later the same day, or past midnight up to 06:00 the next morning (every third case)
    span: fc.oneof(fc.tuple(minutes, minutes), fc.tuple(fc.integer({ min: 18 * 60, max: 24 * 60 - 1 }), fc.integer({ min: 0, max: 7 * 60 })))
      .filter(([a, b]) => validSpan(clockTime(a), clockTime(b))),
    // starts_after and ends_before, with the early hours and 06:00 itself well represented
    after: fc.oneof(minutes, fc.constantFrom(0, 120, 360, 1380)).map(clockTime),
    before: fc.oneof(minutes, fc.constantFrom(0, 60, 120, 359, 360, 361, 1380)).map(clockTime),
  }), { seed: 7, numRuns: 2000 })
  // the windows' edges themselves, where an off-by-one would show
  for (const p of Object.keys(PERIODS) as PeriodCode[]) {
    const [a, b] = PERIODS[p].window
    const edges = [[a - 60, a], [a - 60, a + 1], [b - 1, b + 60], [b, b + 60], [a, b], [a - 1, b - 1], [a + 1, b + 1]]
    for (const [x, y] of edges) {
      const span: [number, number] = [((x % 1440) + 1440) % 1440, ((y % 1440) + 1440) % 1440]
      if (!validSpan(clockTime(span[0]), clockTime(span[1]))) continue
      cases.push({ frequency: 'weekly', days: ['mon'], date: '2026-01-05', asked: ['mon'], period: p, span, after: clockTime(span[0]), before: clockTime(span[1]) })
    }
  }
  const rows = cases.map((c, i) => ({ i, frequency: c.frequency, days: c.days, date: c.date, starts: clockTime(c.span[0]), ends: clockTime(c.span[1]),
    after: c.after, before: c.before }))
  t.ok(rows.filter((r) => crossesMidnight(r.starts, r.ends)).length > 300, 'many sessions run past midnight')
  let disagreements = 0
  for (const p of Object.keys(PERIODS) as PeriodCode[]) {
    const mine = rows.filter((_, i) => cases[i].period === p)
    const asked = mine.map((r) => cases[r.i].asked)
    const answers = await db.query<{ i: number; on_days: boolean; in_period: boolean; after: boolean; before: boolean }>(sql`
      SELECT ss.i, ${sessionOnDays('ss', sql`ss.asked`)} AS on_days, ${sessionInPeriod('ss', p)} AS in_period,
        ${sessionStartsAfter('ss', sql`ss.after`)} AS after, ${sessionEndsBefore('ss', sql`ss.before`)} AS before
      FROM jsonb_to_recordset(${JSON.stringify(mine.map((r, k) => ({ ...r, asked: asked[k] })))}::jsonb)
        AS ss(i int, frequency text, days text[], date date, starts time, ends time, asked text[], after text, before text)
      ORDER BY ss.i`)
    t.equal(answers.length, mine.length)
    for (const a of answers) {
      const c = cases[a.i]
      const runsOn = c.frequency === 'once' ? [weekdayCode(c.date)] : c.days
      const onDays = c.asked.some((d) => runsOn.includes(d))
      const r = rows[a.i]
      const ts = { after: startsAfter(r.starts, r.after), before: endsBefore(r.starts, r.ends, r.before) }
      if (a.on_days !== onDays || a.in_period !== inPeriod(p, r.starts, r.ends) || a.after !== ts.after || a.before !== ts.before) {
        if (disagreements++ < 5) t.fail(`disagree on ${JSON.stringify({ ...c, ...r })}: sql days=${a.on_days} period=${a.in_period} after=${a.after} before=${a.before}`)
      }
    }
  }
  t.equal(disagreements, 0, `${cases.length} sessions`)
})

t.test('schemePublished: active and not deleted only', async (t) => {
  const db = await freshDb(t)
  const rows = await db.query<{ status: string; deleted: boolean; published: boolean }>(sql`
    SELECT s.status, s.deleted_at IS NOT NULL AS deleted, ${schemePublished('s')} AS published
    FROM (VALUES ('active', NULL::timestamptz), ('active', now()), ('paused', NULL), ('ended', NULL), ('paused', now())) AS s(status, deleted_at)`)
  t.same(rows.map((r) => r.published), [true, false, false, false, false])
})
