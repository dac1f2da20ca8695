import { bankHolidays, bankHolidayYears, type HolidayRegion } from '../../domain/bank-holidays.ts'
import { dayName, dayToByday, minutesOf, DAY_MINUTES } from '../../domain/calendar.ts'
import { addDays, dayNumber, occursOn, patternRunsOn, UK_TIME_ZONE, type DateSpan, type SessionRule } from '../../domain/schedule.ts'

/** An OpenActive Schedule (Modelling Opportunity Data 2.0 §4.6) of ScheduledSessions. */
export interface OaSchedule {
  '@type': 'Schedule'
  scheduledEventType: 'ScheduledSession'
  repeatFrequency: string
  byDay?: string[]
  startDate?: string
  endDate?: string
  repeatCount?: number
  startTime: string
  endTime: string
  duration: string
  scheduleTimezone: typeof UK_TIME_ZONE
  exceptDate?: string[]
}

/** What a session's exceptions depend on besides itself. */
export interface ScheduleContext {
  /** The scheme's breaks: no session runs in them. */
  breaks?: readonly DateSpan[] | null
  /** The bank-holiday calendar the session keeps (its venue's nation). */
  region: HolidayRegion
  /** The UK date the document was last changed: exceptions before it are history, not listed. */
  since: string
}

const REPEAT: Record<SessionRule['frequency'], string> = { weekly: 'P1W', fortnightly: 'P2W', monthly: 'P1M', once: 'P1D' }

/** HH:MM → an ISO 8601 duration from starts to ends, which may be the next morning. */
export function durationOf(starts: string, ends: string): string {
  const minutes = (minutesOf(ends) - minutesOf(starts) + DAY_MINUTES) % DAY_MINUTES || DAY_MINUTES
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}`
}

/** The schema.org day URL of a day code (a weekly or fortnightly byDay). */
const schemaDay = (day: string) => `https://schema.org/${dayName(day)}`

/**
 * The dates the session's pattern would run on and does not: its own except_dates (all of them),
 * and from `since` on, the days of the scheme's breaks and, with except_bank_holidays, the bank
 * holidays of its calendar over the years the directory knows them (last year to five years on,
 * as the database's table: src/domain/bank-holidays.ts bankHolidayYears). Dates, not date-times:
 * OpenActive's exceptDate takes either, and a date stays right across a clock change.
 */
export function exceptDatesOf(s: SessionRule, ctx: ScheduleContext): string[] {
  const out = new Set<string>(s.except_dates ?? [])
  const years = bankHolidayYears(ctx.since)
  const last = `${years[years.length - 1]}-12-31`
  const candidates: string[] = []
  if (s.except_bank_holidays) for (const y of years) candidates.push(...bankHolidays(ctx.region, y).keys())
  for (const b of ctx.breaks ?? []) {
    // a break is bounded; only its days from `since` to the last known year are listed
    for (let d = b.from < ctx.since ? ctx.since : b.from; d <= b.to && d <= last; d = addDays(d, 1)) candidates.push(d)
  }
  const ex = { breaks: ctx.breaks, regions: s.venue_id ? { [s.venue_id]: ctx.region } : undefined }
  for (const d of candidates) if (d >= ctx.since && patternRunsOn(s, d) && !occursOn(s, d, ex)) out.add(d)
  return [...out].sort((a, b) => dayNumber(a) - dayNumber(b))
}

/**
 * A session as a Schedule. Weekly: P1W on schema.org days. Fortnightly: P2W from startDate =
 * valid_from (iCal counts the weeks from its start's week, as SPEC §2 counts from valid_from's).
 * Monthly: P1M with an iCal BYDAY per day (`2TU`, `-1FR`). Once: P1D, startDate = endDate = the
 * date, repeatCount 1. Times are UK wall-clock times in scheduleTimezone Europe/London; a
 * session past midnight ends the next morning, which its duration says.
 */
export function toOaSchedule(s: SessionRule, ctx: ScheduleContext): OaSchedule {
  const ends = s.ends ?? s.starts
  const out: OaSchedule = {
    '@type': 'Schedule', scheduledEventType: 'ScheduledSession', repeatFrequency: REPEAT[s.frequency],
    startTime: s.starts, endTime: ends, duration: durationOf(s.starts, ends), scheduleTimezone: UK_TIME_ZONE,
  }
  if (s.frequency === 'once') {
    Object.assign(out, { startDate: s.date!, endDate: s.date!, repeatCount: 1 })
  } else {
    out.byDay = s.frequency === 'monthly'
      ? (s.days ?? []).map((d) => `${s.week_of_month ?? 1}${dayToByday(d)}`)
      : (s.days ?? []).map(schemaDay)
    if (s.valid_from) out.startDate = s.valid_from
    if (s.valid_to) out.endDate = s.valid_to
  }
  const except = s.frequency === 'once' ? [] : exceptDatesOf(s, ctx)
  if (except.length) out.exceptDate = except
  return out
}
