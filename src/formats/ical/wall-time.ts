import type { ICalTemporalPlainDateTimeStub, ICalTemporalZonedDateTimeStub } from 'ical-generator'
import { formatUk, UK_TIME_ZONE, ukInstant } from '../../domain/schedule.ts'

/**
 * A UK wall-clock time (a date and HH:MM) as ical-generator takes one: its Temporal shapes.
 * ical-generator writes a native Date in an event's TZID with the server's own time zone, so
 * a calendar would shift with the host's TZ; these write the wall clock as it is
 * (DTSTART;TZID=Europe/London:20270328T100000). The instant behind it is the schedule's
 * ukInstant, so a calendar and next_occurrences read one wall clock the same way.
 */
export type UkWallTime = ICalTemporalZonedDateTimeStub

export function ukWallTime(date: string, hhmm: string): UkWallTime {
  const fields = {
    year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)),
    hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)), second: 0,
  }
  const text = `${date}T${hhmm}:00`
  const plainDate = { year: fields.year, month: fields.month, day: fields.day, toJSON: () => date, toString: () => date }
  const plain: ICalTemporalPlainDateTimeStub = {
    ...fields, toJSON: () => text, toString: () => text, toPlainDate: () => plainDate, toZonedDateTime: (zone) => inZone(zone),
  }
  const zoned: UkWallTime = {
    ...fields, timeZoneId: UK_TIME_ZONE, toJSON: () => `${text}[${UK_TIME_ZONE}]`, toString: () => `${text}[${UK_TIME_ZONE}]`,
    toPlainDateTime: () => plain, withTimeZone: (zone) => inZone(zone),
    toInstant: () => {
      const ms = ukInstant(date, hhmm).getTime()
      return { epochMilliseconds: ms, toJSON: () => new Date(ms).toISOString(), toString: () => new Date(ms).toISOString(),
        toZonedDateTimeISO: (zone: string) => inZone(zone) }
    },
  }
  // only the UK's clock is ever asked for: every event is written in Europe/London
  function inZone(zone: string): UkWallTime {
    if (zone !== UK_TIME_ZONE) throw new Error(`a UK wall-clock time has no form in ${zone}`)
    return zoned
  }
  return zoned
}

/** The UK wall clock at an instant (the end of a session from occurrenceSpan). */
export function ukWallTimeAt(instant: Date): UkWallTime {
  const text = formatUk(instant)
  return ukWallTime(text.slice(0, 10), text.slice(11, 16))
}
