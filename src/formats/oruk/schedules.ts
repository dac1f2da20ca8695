import { bydayToDay, dayToByday, WEEKDAYS } from '../../domain/calendar.ts'
import { weekdayCode } from '../../domain/schedule.ts'
import { ALWAYS_OPEN_TEXT, sessionSummary, type Break } from '../../domain/schedule-summary.ts'
import type { NativeSession } from './types.ts'
import { orukId } from './ids.ts'

/** HSDS day code (MO…SU) → our day code (mon…sun), any case; undefined when unknown. */
export const dayFromHsds = (code: string): string | undefined => bydayToDay(code.toUpperCase())
export const dayToHsds = (day: string) => dayToByday(day)

/** The weekday code of a YYYY-MM-DD date. */
export const weekdayOf = (date: string): string => weekdayCode(date)

export interface OrukSchedule {
  id: string
  service_id: string
  service_at_location_id?: string
  valid_from?: string
  valid_to?: string
  dtstart?: string
  freq: 'WEEKLY' | 'MONTHLY'
  interval: number
  byday: string
  description: string
  opens_at: string
  closes_at: string
  attending_type?: string
  notes?: string
}

/**
 * A session as an HSDS schedule row. Weekly: WEEKLY/1 with byday. Fortnightly: WEEKLY/2
 * from dtstart = valid_from (iCal counts the weeks from DTSTART's week, as our rule counts
 * from valid_from's week). Monthly: MONTHLY with byday such as 2TU or -1FR. Once: the one
 * date as dtstart = valid_from = valid_to on its weekday (ORUK 3.0 drops HSDS's until and
 * count). HSDS has no exception dates, breaks or bank holidays: the description is the session's
 * summary (src/domain/schedule-summary.ts), which names them, with the scheme's `breaks`.
 * Times are UK local wall-clock times, HH:MM.
 */
export function toSchedule(serviceId: string, session: NativeSession, salId?: string, attendingType?: string,
  breaks?: readonly Break[] | null): OrukSchedule {
  const days = session.frequency === 'once' ? [weekdayOf(session.date!)] : (session.days ?? [])
  const prefix = session.frequency === 'monthly' ? String(session.week_of_month ?? 1) : ''
  const out: OrukSchedule = {
    id: orukId('schedule', serviceId, session.position),
    service_id: serviceId,
    ...(salId ? { service_at_location_id: salId } : {}),
    freq: session.frequency === 'monthly' ? 'MONTHLY' : 'WEEKLY',
    interval: session.frequency === 'fortnightly' ? 2 : 1,
    byday: days.map((d) => prefix + dayToByday(d)).join(','),
    description: sessionSummary(session, breaks),
    opens_at: session.starts,
    closes_at: session.ends,
  }
  if (session.frequency === 'once') {
    out.dtstart = out.valid_from = out.valid_to = session.date
  } else {
    if (session.valid_from) out.valid_from = session.valid_from
    if (session.valid_to) out.valid_to = session.valid_to
    if (session.frequency === 'fortnightly' && session.valid_from) out.dtstart = session.valid_from
  }
  if (attendingType) out.attending_type = attendingType
  if (session.notes) out.notes = session.notes
  return out
}

/**
 * An always-open scheme (a 24-hour line) as HSDS schedule rows: one per weekday, from 00:00
 * to 23:59 (HSDS times cannot say 24:00), for its remote modes.
 */
export function alwaysOpenSchedules(serviceId: string, attendingType?: string): OrukSchedule[] {
  return WEEKDAYS.map((d) => ({
    id: orukId('schedule', serviceId, 'always', d.code), service_id: serviceId, freq: 'WEEKLY' as const, interval: 1, byday: d.byday,
    description: `${ALWAYS_OPEN_TEXT}.`, opens_at: '00:00', closes_at: '23:59', ...(attendingType ? { attending_type: attendingType } : {}),
  }))
}
