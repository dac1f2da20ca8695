import { bydayToDay, dayName, dayToByday, WEEKDAYS } from '../../domain/calendar.ts'
import { weekdayCode } from '../../domain/schedule.ts'
import type { NativeSession } from './types.ts'
import { orukId } from './ids.ts'

const ORDINAL: Record<number, string> = { 1: 'First', 2: 'Second', 3: 'Third', 4: 'Fourth', 5: 'Fifth', [-1]: 'Last' }

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

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`)

/**
 * A session as an HSDS schedule row. Weekly: WEEKLY/1 with byday. Fortnightly: WEEKLY/2
 * from dtstart = valid_from (iCal counts the weeks from DTSTART's week, as our rule counts
 * from valid_from's week). Monthly: MONTHLY with byday such as 2TU or -1FR. Once: the one
 * date as dtstart = valid_from = valid_to on its weekday (ORUK 3.0 drops HSDS's until and
 * count). HSDS has no exception dates: they are written into the description.
 * Times are UK local wall-clock times, HH:MM.
 */
export function toSchedule(serviceId: string, session: NativeSession, salId?: string, attendingType?: string): OrukSchedule {
  const days = session.frequency === 'once' ? [weekdayOf(session.date!)] : (session.days ?? [])
  const prefix = session.frequency === 'monthly' ? String(session.week_of_month ?? 1) : ''
  const out: OrukSchedule = {
    id: orukId('schedule', serviceId, session.position),
    service_id: serviceId,
    ...(salId ? { service_at_location_id: salId } : {}),
    freq: session.frequency === 'monthly' ? 'MONTHLY' : 'WEEKLY',
    interval: session.frequency === 'fortnightly' ? 2 : 1,
    byday: days.map((d) => prefix + dayToByday(d)).join(','),
    description: describe(session, days),
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

/** The text of an always-open scheme's schedule (the summaries say the same). */
export const ALWAYS_OPEN_TEXT = 'Open 24 hours, every day'

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

function describe(s: NativeSession, days: string[]): string {
  const names = days.map((d) => dayName(d))
  const when = {
    weekly: () => `Every ${list(names)}`,
    fortnightly: () => `Every other ${list(names)}${s.valid_from ? ` (fortnightly from the week of ${s.valid_from})` : ''}`,
    monthly: () => `${ORDINAL[s.week_of_month ?? 1]} ${list(names)} of the month`,
    once: () => `Once, on ${names[0]} ${s.date}`,
  }[s.frequency]()
  let text = `${when}, ${s.starts} to ${s.ends} (UK time).`
  if (s.except_dates?.length) text += ` Not on ${list(s.except_dates)}.`
  return text
}
