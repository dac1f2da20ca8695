import type { ICalTimezone } from 'ical-generator'
import { UK_TIME_ZONE } from '../../domain/schedule.ts'

/**
 * Europe/London's VTIMEZONE (RFC 5545 §3.6.5), the only zone a calendar names: summer time
 * (BST, +01:00) from 01:00 UTC on the last Sunday of March, Greenwich Mean Time from 02:00 BST
 * on the last Sunday of October, the rules in force since 1996. Written once here because no
 * time-zone package is installed; ical-generator places it through its generator hook.
 */
export const EUROPE_LONDON_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${UK_TIME_ZONE}`,
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n')

/**
 * The calendar's time-zone setting: no calendar-wide zone (so DTSTAMP and UNTIL stay in UTC,
 * as RFC 5545 wants), and the VTIMEZONE for the events' TZID.
 */
export const UK_TIMEZONE: ICalTimezone = {
  name: null,
  generator: (zone) => (zone === UK_TIME_ZONE ? EUROPE_LONDON_VTIMEZONE : null),
}
