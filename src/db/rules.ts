import { sql, type SQL } from 'drizzle-orm'
import { DAY_CODES, LATEST_NEXT_MORNING_END, PERIODS, clockTime, periodConditionSql, type PeriodCode } from '../domain/calendar.ts'
import { ukDate } from '../domain/schedule.ts'
import { REMOTE_REGION } from '../domain/bank-holidays.ts'

/**
 * The named SQL forms of SPEC §2's rules, which every reader (search, ORUK, export, venue
 * delete) and the search bits compose from. Each has a TypeScript twin in
 * src/domain/schedule.ts, fed by the same constants (src/domain/calendar.ts);
 * test/db/rules.test.ts holds each pair to the same answers.
 */

/** `alias.name`: identifiers never come from input, only from these fixed aliases. */
export const col = (alias: string, name: string) => sql.raw(`${alias}.${name}`)

/** The UK date of the request's clock, for readers (never the database's now(): tests pin the clock). */
export const ukToday = (now: Date): SQL => sql`${ukDate(now)}::date`

/**
 * The UK date of the writing transaction, for writers: a write's checks and the write itself
 * then agree on "today" even when the transaction spans midnight.
 */
export const transactionUkToday = sql`(now() AT TIME ZONE 'Europe/London')::date`

/** The day codes in ISO order, as an SQL array: index = ISO weekday. */
const WEEKDAY_CODES = sql.raw(`(ARRAY[${DAY_CODES.map((d) => `'${d}'`).join(',')}])`)

/** The UK weekday code ('mon'…'sun') of a date expression. */
export const weekdayOf = (d: SQL) => sql`${WEEKDAY_CODES}[extract(isodow FROM ${d})::int]`

/** Scheme `s` is published: not deleted, and active. */
export const schemePublished = (s: string) => sql`(${col(s, 'deleted_at')} IS NULL AND ${col(s, 'status')} = 'active')`

/**
 * Scheme `s` appears in the change feed as `updated` (docs/feeds.md): every scheme that GET
 * shows, paused and ended ones too; otherwise it is a `deleted` item.
 */
export const schemeInFeeds = (s: string) => sql`(${col(s, 'deleted_at')} IS NULL)`

/** SPEC §2: session `ss` is current on `today`: a one-off when its date is not past, others when valid_to is open or not past. */
export function sessionCurrent(ss: string, today: SQL): SQL {
  const c = (n: string) => col(ss, n)
  return sql`(CASE WHEN ${c('frequency')} = 'once' THEN ${c('date')} >= ${today}
    ELSE ${c('valid_to')} IS NULL OR ${c('valid_to')} >= ${today} END)`
}

/** The breaks of session `ss`'s scheme as one datemultirange (NULL: none), by the scheme's key. */
export const sessionBreakDays = (ss: string) => sql`(SELECT sb.break_days FROM schemes sb WHERE sb.id = ${col(ss, 'scheme_id')})`

/**
 * The bank-holiday calendar of session `ss`: its venue's (venues.holiday_region); a remote
 * session, or a venue whose region is not filled in yet, England and Wales (REMOTE_REGION).
 */
export const sessionHolidayRegion = (ss: string) =>
  sql`coalesce((SELECT hv.holiday_region FROM venues hv WHERE hv.id = ${col(ss, 'venue_id')}), ${sql.raw(`'${REMOTE_REGION}'`)})`

/** Where sessionRunsOn reads a session's exceptions; tests hand in their own columns. */
export interface ExceptionSources {
  /** a datemultirange, or NULL for none */
  breakDays: SQL
  /** a bank_holidays region */
  region: SQL
}

/**
 * SPEC §2: session `ss` runs on date `d`: frequency, validity, except_dates; then not in one of
 * its scheme's breaks and, with except_bank_holidays, not on a bank holiday of its venue's
 * nation (the bank_holidays table). TypeScript twin: schedule.ts occursOn with its Exceptions.
 */
export function sessionRunsOn(ss: string, d: SQL, ex: ExceptionSources = { breakDays: sessionBreakDays(ss), region: sessionHolidayRegion(ss) }): SQL {
  const c = (n: string) => col(ss, n)
  const monday = (x: SQL) => sql`(${x} - (extract(isodow FROM ${x})::int - 1))`
  return sql`((${c('valid_from')} IS NULL OR ${c('valid_from')} <= ${d})
    AND (${c('valid_to')} IS NULL OR ${c('valid_to')} >= ${d})
    AND NOT (${d} = ANY(${c('except_dates')}))
    AND CASE ${c('frequency')}
      WHEN 'once' THEN ${c('date')} = ${d}
      WHEN 'weekly' THEN ${weekdayOf(d)} = ANY(${c('days')})
      WHEN 'fortnightly' THEN ${weekdayOf(d)} = ANY(${c('days')})
        AND (${monday(d)} - ${monday(sql`${c('valid_from')}`)}) % 14 = 0
      WHEN 'monthly' THEN ${weekdayOf(d)} = ANY(${c('days')}) AND CASE
        WHEN ${c('week_of_month')} = -1 THEN extract(month FROM ${d} + 7) <> extract(month FROM ${d})
        ELSE (extract(day FROM ${d})::int - 1) / 7 + 1 = ${c('week_of_month')} END
      ELSE false END
    AND NOT coalesce(${ex.breakDays} @> ${d}, false)
    AND (NOT ${c('except_bank_holidays')} OR NOT EXISTS (SELECT 1 FROM bank_holidays bh WHERE bh.region = ${ex.region} AND bh.date = ${d})))`
}

/** Session `ss` runs on one of `days` (a one-off on its date's weekday). */
export function sessionOnDays(ss: string, days: SQL): SQL {
  const c = (n: string) => col(ss, n)
  return sql`(CASE WHEN ${c('frequency')} = 'once' THEN ${weekdayOf(c('date'))} = ANY(${days}) ELSE ${c('days')} && ${days} END)`
}

/** Session `ss` overlaps the period's window, a span past midnight included (calendar.ts inPeriod). */
export function sessionInPeriod(ss: string, p: PeriodCode): SQL {
  return sql.raw(periodConditionSql(p, `${ss}.starts`, `${ss}.ends`))
}

/** starts_after: session `ss` starts at or after `time` (calendar.ts startsAfter). */
export const sessionStartsAfter = (ss: string, time: SQL) => sql`${col(ss, 'starts')} >= (${time})::time`

/** ends_before: session `ss` is over by `time`; past midnight, by a time of the next morning (calendar.ts endsBefore). */
export function sessionEndsBefore(ss: string, time: SQL): SQL {
  const ends = col(ss, 'ends')
  const crossing = sql`${ends} <= ${col(ss, 'starts')}`
  const latest = sql.raw(`'${clockTime(LATEST_NEXT_MORNING_END)}'::time`)
  return sql`(${ends} <= (${time})::time AND (NOT ${crossing} OR (${time})::time <= ${latest}))`
}

export const isPeriod = (p: string): p is PeriodCode => p in PERIODS
