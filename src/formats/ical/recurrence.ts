import { ICalEventRepeatingFreq, ICalWeekday, type ICalRepeatingOptions } from 'ical-generator'
import { dayToByday } from '../../domain/calendar.ts'
import { sessionSpan } from '../../domain/calendar.ts'
import {
  addDays, occurrenceSpan, occursOn, patternRunsOn, ukInstant, ukOffsetMinutes, type Exceptions, type SessionRule,
} from '../../domain/schedule.ts'
import { ukWallTime, ukWallTimeAt, type UkWallTime } from './wall-time.ts'

/**
 * One session as an iCalendar recurrence over a published window of UK dates: DTSTART on
 * the first date its pattern runs, an RRULE that states the pattern, and an EXDATE for every
 * date the pattern gives but the session does not run (its except_dates, the scheme's breaks,
 * the bank holidays of its venue's nation). Both come from src/domain/schedule.ts:
 * patternRunsOn for the RRULE's dates and occursOn for the exceptions, so the feed and
 * next_occurrences are one rule; test/formats/ical/calendar.test.ts expands the feed with an
 * independent parser and compares.
 */

/** The UK dates a feed publishes: from `first` to `last`, both included. */
export interface Window {
  first: string
  last: string
}

/** A year ahead: calendar apps refresh a subscription far more often (REFRESH-INTERVAL). */
export const WINDOW_DAYS = 365

export const windowFrom = (today: string): Window => ({ first: today, last: addDays(today, WINDOW_DAYS) })

export interface Span {
  start: UkWallTime
  end: UkWallTime
}

export interface Recurrence extends Span {
  /** absent for a session that runs once */
  repeating?: ICalRepeatingOptions
  /**
   * The occurrences whose length is not the session's usual one: a session past midnight on
   * the nights the clocks change still ends at its wall-clock time (occurrenceSpan), which
   * an RRULE cannot say (RFC 5545 §3.8.5.3 gives every instance DTEND's exact length), so
   * those nights are RECURRENCE-ID instances with their own DTEND. They are instants, written
   * in UTC: a start in the hour the October change repeats is then read as the first of the
   * two (as ukInstant reads it) by every parser, not only by those that follow RFC 5545 §3.3.5.
   */
  overrides: Array<{ start: Date; end: Date }>
}

const weekday = (code: string) => dayToByday(code) as ICalWeekday

/**
 * The RRULE's pattern. Fortnightly weeks count from the Monday of valid_from's week, as
 * ISO weeks do (WKST=MO), from a DTSTART in a week it runs. Monthly: one weekday is the
 * n-th (or last) of the month, BYDAY=TU;BYSETPOS=2 as Outlook writes "2nd Tuesday";
 * several weekdays in the same week of the month are those days whose day of the month
 * is in that week (BYMONTHDAY=8,…,14; the last: -7,…,-1), the schedule's own rule.
 */
function pattern(s: SessionRule): Omit<ICalRepeatingOptions, 'until' | 'exclude'> {
  const byDay = (s.days ?? []).map(weekday)
  if (s.frequency === 'weekly') return { freq: ICalEventRepeatingFreq.WEEKLY, byDay, startOfWeek: ICalWeekday.MO }
  if (s.frequency === 'fortnightly') return { freq: ICalEventRepeatingFreq.WEEKLY, interval: 2, byDay, startOfWeek: ICalWeekday.MO }
  const n = s.week_of_month ?? 1
  if (byDay.length === 1) return { freq: ICalEventRepeatingFreq.MONTHLY, byDay, bySetPos: n }
  const week = Array.from({ length: 7 }, (_, i) => (n === -1 ? i - 7 : (n - 1) * 7 + 1 + i))
  return { freq: ICalEventRepeatingFreq.MONTHLY, byDay, byMonthDay: week.filter((d) => d <= 31) }
}

const noonUtc = (date: string) => new Date(`${date}T12:00:00Z`)
let changesMemo: { first: string; days: Set<string> } | null = null

/**
 * The UK dates in the window (and the day after it) on which the clocks change, found from
 * the UK offset itself (a week at a time, then the day): only a session on such a date or the
 * evening before can have an unusual length, so the others need no time-zone arithmetic,
 * which costs far more than the rest of a feed.
 */
export function clockChangeDays(window: Window): Set<string> {
  if (changesMemo?.first === window.first) return changesMemo.days
  const days = new Set<string>()
  const end = addDays(window.last, 1)
  // from the day before, so that a change on the window's first day is found too
  let day = addDays(window.first, -1)
  let offset = ukOffsetMinutes(noonUtc(day))
  while (day < end) {
    const next = addDays(day, 7) < end ? addDays(day, 7) : end
    const nextOffset = ukOffsetMinutes(noonUtc(next))
    // the clocks change at 01:00 UTC: the change's date is the first whose noon has the new offset
    if (nextOffset !== offset) for (let d = addDays(day, 1); d <= next; d = addDays(d, 1)) if (ukOffsetMinutes(noonUtc(d)) !== offset) { days.add(d); break }
    day = next
    offset = nextOffset
  }
  changesMemo = { first: window.first, days }
  return days
}

/** Dates from `from` to `to`, both included. */
function* days(from: string, to: string): Generator<string> {
  for (let d = from; d <= to; d = addDays(d, 1)) yield d
}

/**
 * The session's recurrence within the window, or null when it does not run there at all
 * (over, not begun, or every date an exception).
 */
export function recurrence(s: SessionRule, window: Window, ex: Exceptions): Recurrence | null {
  const span = (date: string): Span => ({ start: ukWallTime(date, s.starts), end: ukWallTimeAt(occurrenceSpan(s, date).end) })
  if (s.frequency === 'once') {
    const date = s.date
    return date && date >= window.first && date <= window.last && occursOn(s, date, ex) ? { ...span(date), overrides: [] } : null
  }
  // the usual length: the wall-clock span, which every day but the clock changes' keeps
  const [from0, to0] = sessionSpan(s.starts, s.ends ?? s.starts)
  const usualMs = (to0 - from0) * 60_000
  const lengthOn = (date: string) => { const o = occurrenceSpan(s, date); return o.end.getTime() - o.start.getTime() }
  const overrides: Recurrence['overrides'] = []
  const changes = clockChangeDays(window)
  const from = s.valid_from && s.valid_from > window.first ? s.valid_from : window.first
  const to = s.valid_to && s.valid_to < window.last ? s.valid_to : window.last
  let first: string | undefined
  let runs = false
  const exclude: UkWallTime[] = []
  for (const d of days(from, to)) {
    if (!patternRunsOn(s, d)) continue
    first ??= d
    if (!occursOn(s, d, ex)) exclude.push(ukWallTime(d, s.starts))
    else {
      runs = true
      if ((changes.has(d) || changes.has(addDays(d, 1))) && lengthOn(d) !== usualMs) overrides.push(occurrenceSpan(s, d))
    }
  }
  if (!first || !runs) return null
  let last = to
  while (!patternRunsOn(s, last)) last = addDays(last, -1)
  // UNTIL in UTC (RFC 5545 §3.3.10, with a DTSTART in a zone): the start of the last date the pattern gives
  const repeating: ICalRepeatingOptions = { ...pattern(s), until: ukInstant(last, s.starts) }
  if (exclude.length) repeating.exclude = exclude
  const start = ukInstant(first, s.starts)
  return { start: ukWallTime(first, s.starts), end: ukWallTimeAt(new Date(start.getTime() + usualMs)), repeating, overrides }
}
