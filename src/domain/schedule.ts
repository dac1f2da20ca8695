/**
 * SPEC §2 schedule rules in TypeScript: on which UK dates a session runs, whether it is
 * current, and when it next starts as an instant with the right UK offset. The SQL rules
 * (src/db/rules.ts) state the same rules from the same constants (calendar.ts);
 * test/db/rules.test.ts holds the two forms to the same answers.
 */

import { crossesMidnight, DAY_CODES, type DayCode } from './calendar.ts'
import { isBankHoliday, REMOTE_REGION, type HolidayRegion } from './bank-holidays.ts'

export { DAY_CODES, type DayCode }

/** A session as its API document shows it (src/db/documents.ts sessionJson). */
export interface SessionRule {
  venue_id?: string | null
  frequency: 'weekly' | 'fortnightly' | 'monthly' | 'once'
  days?: string[]
  week_of_month?: number | null
  date?: string | null
  starts: string
  ends?: string
  valid_from?: string | null
  valid_to?: string | null
  except_dates?: string[] | null
  except_bank_holidays?: boolean
}

/** Dates from `from` to `to`, both included: a scheme's break. */
export interface DateSpan {
  from: string
  to: string
}

/**
 * What stops a session besides its own rule, known from its scheme and venue: the scheme's
 * breaks, and the bank-holiday calendar of each venue (by venue id) for the sessions with
 * except_bank_holidays. A remote session, or a venue not listed, keeps REMOTE_REGION's
 * (England and Wales). The SQL twin reads the same from schemes.break_days and
 * venues.holiday_region (src/db/rules.ts sessionRunsOn).
 */
export interface Exceptions {
  breaks?: readonly DateSpan[] | null
  regions?: Readonly<Record<string, HolidayRegion>>
}

export const NO_EXCEPTIONS: Exceptions = {}

/** The bank-holiday calendar a session keeps. */
export function holidayRegion(s: Pick<SessionRule, 'venue_id'>, ex: Exceptions): HolidayRegion {
  return (s.venue_id && ex.regions?.[s.venue_id]) || REMOTE_REGION
}

/** Is the date in one of the breaks? */
export const inBreak = (breaks: readonly DateSpan[] | null | undefined, date: string) => !!breaks?.some((b) => b.from <= date && date <= b.to)

const DAY_MS = 86_400_000
export const UK_TIME_ZONE = 'Europe/London'

/** 'YYYY-MM-DD' → whole days since 1970-01-01. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS
}

export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

export function addDays(date: string, n: number): string {
  return fromDayNumber(dayNumber(date) + n)
}

/** True for a real calendar date written YYYY-MM-DD (2027-02-30 is not one). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  return fromDayNumber(dayNumber(s)) === s
}

/** ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(date: string): number {
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1
}

export function weekdayCode(date: string): DayCode {
  return DAY_CODES[isoWeekday(date) - 1]
}

/**
 * Does the session run on this UK date? Frequency, validity and except_dates applied, then the
 * scheme's breaks and, with except_bank_holidays, the bank holidays of its venue's nation.
 */
export function occursOn(s: SessionRule, date: string, ex: Exceptions = NO_EXCEPTIONS): boolean {
  if (!ruleRunsOn(s, date)) return false
  if (inBreak(ex.breaks, date)) return false
  return !(s.except_bank_holidays && isBankHoliday(holidayRegion(s, ex), date))
}

/** The session's own rule: frequency, validity and except_dates. */
function ruleRunsOn(s: SessionRule, date: string): boolean {
  if (s.except_dates?.includes(date)) return false
  return patternRunsOn(s, date)
}

/** Frequency and validity alone: would the session run on the date, were it not for its except_dates and exceptions? */
export function patternRunsOn(s: SessionRule, date: string): boolean {
  if (s.valid_from && date < s.valid_from) return false
  if (s.valid_to && date > s.valid_to) return false
  if (s.frequency === 'once') return s.date === date
  if (!(s.days ?? []).includes(weekdayCode(date))) return false
  switch (s.frequency) {
    case 'weekly':
      return true
    case 'fortnightly': {
      // whole weeks between the Monday of valid_from's week and the Monday of date's week
      if (!s.valid_from) return false
      const monday = (d: string) => dayNumber(d) - (isoWeekday(d) - 1)
      return ((monday(date) - monday(s.valid_from)) / 7) % 2 === 0
    }
    case 'monthly': {
      const dom = Number(date.slice(8, 10))
      if (s.week_of_month === -1) return addDays(date, 7).slice(0, 7) !== date.slice(0, 7)
      return s.week_of_month != null && Math.floor((dom - 1) / 7) + 1 === s.week_of_month
    }
    default:
      return false
  }
}

/** SPEC §2: current when valid_to is null or ≥ today; a once session when its date ≥ today. */
export function isCurrent(s: Pick<SessionRule, 'frequency' | 'date' | 'valid_to'>, today: string): boolean {
  if (s.frequency === 'once') return !!s.date && s.date >= today
  return !s.valid_to || s.valid_to >= today
}

const ukParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: UK_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
})

/** The UK wall clock at an instant, as milliseconds of a UTC date with those fields. */
function ukWallMs(instantMs: number): number {
  const p: Record<string, number> = {}
  for (const part of ukParts.formatToParts(new Date(instantMs))) if (part.type !== 'literal') p[part.type] = Number(part.value)
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
}

/** The UK's offset from UTC at an instant, in minutes (0 in winter, 60 in summer). */
export function ukOffsetMinutes(instant: Date): number {
  const ms = Math.floor(instant.getTime() / 1000) * 1000
  return Math.round((ukWallMs(ms) - ms) / 60_000)
}

/** The UK date at an instant, YYYY-MM-DD. */
export function ukDate(instant: Date): string {
  return new Date(ukWallMs(instant.getTime())).toISOString().slice(0, 10)
}

/**
 * The instant of a UK wall-clock time. A time that happens twice (the October change)
 * is the first, summer-time one; a time that does not exist (the March change) is read
 * on the winter clock, which is an hour later on the summer clock.
 */
export function ukInstant(date: string, hhmm: string): Date {
  const [y, mo, d] = date.split('-').map(Number)
  const [h, mi] = hhmm.split(':').map(Number)
  const wall = Date.UTC(y, mo - 1, d, h, mi)
  for (const offsetMinutes of [60, 0]) {
    const candidate = wall - offsetMinutes * 60_000
    if (ukWallMs(candidate) === wall) return new Date(candidate)
  }
  return new Date(wall)
}

/** RFC 3339 with the UK offset: `Z` in winter, `+01:00` in summer. */
export function formatUk(instant: Date): string {
  const offset = ukOffsetMinutes(instant)
  const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19)
  if (offset === 0) return local + 'Z'
  const sign = offset > 0 ? '+' : '-'
  const abs = Math.abs(offset)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/**
 * The instants an occurrence of `s` on UK date `date` starts and ends. A session past
 * midnight ends on the next morning's wall clock, so its length follows the clocks: 22:00 to
 * 02:00 is four hours, three on the night they go forward, five on the night they go back.
 */
export function occurrenceSpan(s: Pick<SessionRule, 'starts' | 'ends'>, date: string): { start: Date; end: Date } {
  const ends = s.ends ?? s.starts
  return { start: ukInstant(date, s.starts), end: ukInstant(crossesMidnight(s.starts, ends) ? addDays(date, 1) : date, ends) }
}

export interface NextOptions {
  count?: number
  withinMs?: number
  /** The sessions' scheme's breaks and venues' calendars. */
  exceptions?: Exceptions
}

/**
 * Up to `count` start instants of these sessions strictly after `now` and no later than
 * `now + withinMs` (default 60 × 24 h), ascending, each instant once.
 */
export function nextOccurrences(sessions: SessionRule[], now: Date, opts: NextOptions = {}): string[] {
  const count = opts.count ?? 3
  const until = now.getTime() + (opts.withinMs ?? 60 * DAY_MS)
  const today = ukDate(now)
  const lastDay = ukDate(new Date(until))
  const starts = new Set<number>()
  for (const s of sessions) {
    for (let day = today; day <= lastDay; day = addDays(day, 1)) {
      if (!occursOn(s, day, opts.exceptions)) continue
      const t = ukInstant(day, s.starts).getTime()
      if (t > now.getTime() && t <= until) starts.add(t)
    }
  }
  return [...starts].sort((a, b) => a - b).slice(0, count).map((t) => formatUk(new Date(t)))
}
