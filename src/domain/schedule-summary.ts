import { dayName, DAY_CODES, inPeriod, PERIODS, type PeriodCode } from './calendar.ts'
import type { Static } from 'typebox'
import { dayNumber, patternRunsOn, weekdayCode, type SessionRule } from './schedule.ts'
import type { BreakSchema } from '../schemas/scheme.ts'

/**
 * A schedule in words (en-GB, GOV.UK and NHS style), made from the rule when a document is
 * read and never stored: a session's `summary` ("Every other Tuesday, 6pm to 8pm, not on bank
 * holidays") and a scheme's one-line `schedule_summary` ("Tuesdays and Thursdays, evenings").
 * Pure: the same document always reads the same (its ETag is its version). Every reader takes
 * the text from here: GET and history (repositories), search items (search/page.ts), ORUK
 * schedule descriptions. docs/writing.md lists the rules with examples.
 */

/** A scheme's break: dates from `from` to `to`, both included, and why (the contract's Break). */
export type Break = Static<typeof BreakSchema>

/** What a scheme's summary reads. The flags come from other parts of the document when it has them. */
export interface ScheduleOf {
  sessions: readonly SessionRule[]
  breaks?: readonly Break[] | null
  /** times agreed with each person (home visits, befriending calls) */
  by_arrangement?: boolean
  /** open round the clock, every day */
  always_open?: boolean
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const ORDINAL: Record<number, string> = { 1: 'First', 2: 'Second', 3: 'Third', 4: 'Fourth', 5: 'Fifth', [-1]: 'Last' }
/** How many dates (or breaks) a clause names before "and N other dates". */
export const LISTED = 3

/** 'a', 'a and b', 'a, b and c'. */
export const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`)
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** '18:00' → '6pm'; '10:30' → '10:30am'; '12:00' → '12pm'; '00:00' → 'midnight'; '00:30' → '12:30am'. */
export function clockText(hhmm: string): string {
  const h = Number(hhmm.slice(0, 2))
  const m = Number(hhmm.slice(3, 5))
  if (h === 0 && m === 0) return 'midnight'
  const hour = h % 12 === 0 ? 12 : h % 12
  return `${hour}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`
}

/** '2026-06-13' → '13 June 2026'; with the weekday, 'Saturday 13 June 2026'. */
export function dateText(date: string, weekday = false): string {
  const text = `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`
  return weekday ? `${dayName(weekdayCode(date))} ${text}` : text
}

/** A break as words: '25 December 2026', '1 August to 31 August 2026', '21 December 2026 to 3 January 2027', with its reason in brackets. */
export function breakText(b: Break): string {
  const span = b.from === b.to ? dateText(b.from)
    : b.from.slice(0, 4) === b.to.slice(0, 4) ? `${dateText(b.from).slice(0, -5)} to ${dateText(b.to)}`
      : `${dateText(b.from)} to ${dateText(b.to)}`
  return b.reason ? `${span} (${b.reason})` : span
}

/** Up to LISTED items, then 'and N other <noun>s'. */
function some(items: string[], noun: string): string {
  if (items.length <= LISTED) return list(items)
  const rest = items.length - LISTED
  return `${items.slice(0, LISTED).join(', ')} and ${rest} other ${noun}${rest === 1 ? '' : 's'}`
}

/** Weekday codes in week order, as names: 'Monday to Friday' for a run of three or more, else 'Tuesday and Thursday'. */
function daysText(days: readonly string[], plural = false): string {
  const sorted = DAY_CODES.filter((d) => days.includes(d))
  const name = (d: string) => dayName(d) + (plural ? 's' : '')
  const run = sorted.length >= 3 && DAY_CODES.indexOf(sorted[sorted.length - 1]) - DAY_CODES.indexOf(sorted[0]) === sorted.length - 1
  return run ? `${dayName(sorted[0])} to ${dayName(sorted[sorted.length - 1])}` : list(sorted.map(name))
}

/** When the rule runs, before the times: 'Every Tuesday', 'Second Thursday of the month', 'Saturday 13 June 2026'. */
function whenText(s: SessionRule): string {
  const days = s.days ?? []
  switch (s.frequency) {
    case 'once': return s.date ? dateText(s.date, true) : 'Once'
    case 'weekly': {
      if (days.length === 7) return 'Every day'
      const text = daysText(days)
      return text.includes(' to ') ? text : `Every ${text}`
    }
    case 'fortnightly': return `Every other ${list(DAY_CODES.filter((d) => days.includes(d)).map(dayName))}`
    case 'monthly': {
      const text = `${ORDINAL[s.week_of_month ?? 1] ?? 'First'} ${list(DAY_CODES.filter((d) => days.includes(d)).map(dayName))} of the month`
      return s.week_of_month === 5 ? `${text} (when there is one)` : text
    }
  }
}

/** The span of a session: '6pm to 8pm'; one that ends before it starts runs past midnight ('10pm to 2am'). */
export const timesText = (s: Pick<SessionRule, 'starts' | 'ends'>) => `${clockText(s.starts)} to ${clockText(s.ends ?? s.starts)}`


/** Does a break touch the dates the session may run on (its validity; a one-off, its date)? */
function breakMatters(s: SessionRule, b: Break): boolean {
  if (s.frequency === 'once') return !!s.date && b.from <= s.date && s.date <= b.to
  return (!s.valid_from || b.to >= s.valid_from) && (!s.valid_to || b.from <= s.valid_to)
}

/**
 * A session's summary: when, the times, then what the data says: 'from …', 'until …', 'not on
 * …' (its except_dates on which it would otherwise run, up to three, then 'and N other
 * dates'), 'not on bank holidays', and 'not …' for the scheme's breaks that touch it.
 */
export function sessionSummary(s: SessionRule, breaks?: readonly Break[] | null): string {
  const parts = [whenText(s), timesText(s)]
  if (s.frequency !== 'once') {
    if (s.valid_from && s.valid_to) parts.push(`from ${dateText(s.valid_from)} until ${dateText(s.valid_to)}`)
    else if (s.valid_from) parts.push(`from ${dateText(s.valid_from)}`)
    else if (s.valid_to) parts.push(`until ${dateText(s.valid_to)}`)
  }
  // except_dates are named only where they matter: on dates the rule would otherwise run on
  if (s.except_dates?.length) {
    const skipped = [...new Set(s.except_dates)].filter((d) => patternRunsOn(s, d)).sort()
    if (skipped.length) parts.push(`not on ${some(skipped.map((d) => dateText(d)), 'date')}`)
  }
  if (s.except_bank_holidays) parts.push('not on bank holidays')
  if (breaks?.length) {
    const relevant = breaks.filter((b) => breakMatters(s, b)).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
    if (relevant.length) parts.push(`not ${some(relevant.map(breakText), 'break')}`)
  }
  return parts.join(', ')
}

/** The parts of the day a session touches, in the order of the day: the periods it is in (calendar.ts inPeriod, past midnight included). */
export function partsOfDay(starts: string, ends: string): string[] {
  return (Object.keys(PERIODS) as PeriodCode[]).filter((p) => inPeriod(p, starts, ends)).map((p) => PERIODS[p].name.toLowerCase())
}

const plural = (part: string) => `${part}s`

/** An always-open scheme's line (its ORUK schedule rows say the same). */
export const ALWAYS_OPEN_TEXT = 'Open 24 hours, every day'

/**
 * A scheme's one line. Open round the clock: 'Open 24 hours, every day'. No sessions: 'Times
 * arranged with you' (by arrangement) or 'Contact the scheme for times'. One session: its
 * summary. Several: the weekdays they run on and the parts of the day they touch — 'Tuesdays
 * and Thursdays, evenings'; a day with no weekly session is 'some Fridays'; seven weekly days
 * 'Every day'; one-off sessions only: their dates. By arrangement as well: ', or at times
 * arranged with you'.
 */
export function scheduleSummary(scheme: ScheduleOf): string {
  if (scheme.always_open) return ALWAYS_OPEN_TEXT
  const sessions = scheme.sessions
  const arranged = scheme.by_arrangement ? ', or at times arranged with you' : ''
  if (sessions.length === 0) return scheme.by_arrangement ? 'Times arranged with you' : 'Contact the scheme for times'
  if (sessions.length === 1) return sessionSummary(sessions[0], scheme.breaks) + arranged
  const parts = [...new Set(sessions.flatMap((s) => partsOfDay(s.starts, s.ends ?? s.starts)))]
  const order = Object.values(PERIODS).map((p) => p.name.toLowerCase())
  parts.sort((x, y) => order.indexOf(x) - order.indexOf(y))
  const times = new Set(sessions.map(timesText))
  const tail = times.size === 1 ? [...times][0] : list(parts.map(plural))
  if (sessions.every((s) => s.frequency === 'once')) {
    const dates = [...new Set(sessions.map((s) => s.date ?? ''))].filter(Boolean).sort((x, y) => dayNumber(x) - dayNumber(y))
    return `${capital(some(dates.map((d) => dateText(d, true)), 'date'))}, ${tail}${arranged}`
  }
  return `${capital(daysPhrase(sessions))}, ${tail}${arranged}`
}

/** The weekdays of several sessions: weekly ones plain ('Tuesdays', 'Monday to Friday', 'every day'), the rest 'some Fridays'. */
function daysPhrase(sessions: readonly SessionRule[]): string {
  const daysOf = (s: SessionRule) => (s.frequency === 'once' ? (s.date ? [weekdayCode(s.date)] : []) : s.days ?? [])
  const weekly = new Set(sessions.filter((s) => s.frequency === 'weekly').flatMap(daysOf))
  const other = DAY_CODES.filter((d) => !weekly.has(d) && sessions.some((s) => s.frequency !== 'weekly' && daysOf(s).includes(d)))
  if (weekly.size === 7) return 'every day'
  const items: string[] = []
  if (weekly.size) {
    const text = daysText([...weekly], true)
    items.push(...(text.includes(' to ') ? [text] : DAY_CODES.filter((d) => weekly.has(d)).map((d) => `${dayName(d)}s`)))
  }
  if (other.length) items.push(`some ${list(other.map((d) => `${dayName(d)}s`))}`)
  return list(items)
}

/** A session document with its summary, for a reader. */
export const withSummary = <S extends SessionRule>(s: S, breaks?: readonly Break[] | null): S & { summary: string } =>
  ({ ...s, summary: sessionSummary(s, breaks) })

/**
 * A scheme document as a reader shows it: each session with its summary and the scheme with
 * its schedule_summary (a document that SQL built has neither: src/db/documents.ts). The
 * flags by_arrangement and always_open are read when the document has them.
 */
export function withSummaries<D extends { sessions: readonly unknown[] }>(doc: D): D & { schedule_summary: string } {
  const d = doc as unknown as ScheduleOf & { sessions: SessionRule[] }
  return {
    ...doc,
    schedule_summary: scheduleSummary({ sessions: d.sessions, breaks: d.breaks, by_arrangement: d.by_arrangement === true, always_open: d.always_open === true }),
    sessions: d.sessions.map((s) => withSummary(s, d.breaks)),
  }
}
