/**
 * The SQL rules (src/db/rules.ts) and their TypeScript twins (src/domain/schedule.ts,
 * calendar.ts) give the same answers: weekday of a date, runs on one of some days, overlaps a
 * period. (Runs on a date and is current: test/domain/schedule.test.ts.)
 */
import t from 'tap'
import fc from 'fast-check'
import { sql } from 'drizzle-orm'
import { freshDb } from '../helper.ts'
import { clockTime, crossesMidnight, endsBefore, inPeriod, PERIODS, startsAfter, validSpan, type PeriodCode } from '../../src/domain/calendar.ts'
import { addDays, weekdayCode } from '../../src/domain/schedule.ts'
import { schemePublished, sessionEndsBefore, sessionInPeriod, sessionOnDays, sessionStartsAfter, weekdayOf } from '../../src/db/rules.ts'
import { DAYS, datesFrom } from '../fixtures/session-rules.ts'

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
