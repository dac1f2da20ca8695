import Holidays from 'date-holidays'

/**
 * The UK's bank holidays, from the `date-holidays` package (never a hand-typed list). The law
 * (Banking and Financial Dealings Act 1971) has three calendars, named here by their ISO 3166-2
 * codes: England and Wales (GB-EAW), Scotland (GB-SCT), Northern Ireland (GB-NIR). A day counts
 * when date-holidays lists it as a public or bank holiday of that nation: the GOV.UK bank
 * holidays with their substitute days, and also the holiday itself when it falls at a weekend
 * (Christmas Day on a Saturday), when a group that skips bank holidays does not meet either.
 * The SQL table bank_holidays (src/db/bank-holidays.ts) is filled from here.
 */

export const HOLIDAY_REGIONS = ['GB-EAW', 'GB-SCT', 'GB-NIR'] as const
export type HolidayRegion = (typeof HOLIDAY_REGIONS)[number]

/** A session without a venue (online, telephone, home visit) keeps England and Wales's bank holidays. */
export const REMOTE_REGION: HolidayRegion = 'GB-EAW'

// date-holidays names England and Wales separately; their bank holidays are one calendar by law.
const STATE: Record<HolidayRegion, string> = { 'GB-EAW': 'ENG', 'GB-SCT': 'SCT', 'GB-NIR': 'NIR' }

/** A nation as the postcode data names it → its bank-holiday calendar (unknown: England and Wales). */
export function regionOfNation(nation: string | undefined): HolidayRegion {
  if (nation === 'Scotland') return 'GB-SCT'
  if (nation === 'Northern Ireland') return 'GB-NIR'
  return 'GB-EAW'
}

export const isHolidayRegion = (x: unknown): x is HolidayRegion => (HOLIDAY_REGIONS as readonly unknown[]).includes(x)

const calendars = new Map<HolidayRegion, Holidays>()
const byYear = new Map<string, Map<string, string>>()

/** The bank holidays of a region in a year: date (YYYY-MM-DD) → name, in date order. */
export function bankHolidays(region: HolidayRegion, year: number): Map<string, string> {
  const key = `${region}:${year}`
  const hit = byYear.get(key)
  if (hit) return hit
  let hd = calendars.get(region)
  if (!hd) {
    hd = new Holidays('GB', STATE[region], { types: ['public', 'bank'] })
    calendars.set(region, hd)
  }
  const days = new Map<string, string>()
  // `date` is the local date in the country's time zone, 'YYYY-MM-DD hh:mm:ss'
  for (const h of hd.getHolidays(year)) if (!days.has(h.date.slice(0, 10))) days.set(h.date.slice(0, 10), h.name)
  byYear.set(key, days)
  return days
}

/** Is this UK date a bank holiday of the region? */
export function isBankHoliday(region: HolidayRegion, date: string): boolean {
  return bankHolidays(region, Number(date.slice(0, 4))).has(date)
}

/**
 * The years the database's table holds, refreshed at every migrate (start-up): from last year to
 * five years on. Searches ask dates from today to a year ahead, so this stays right for years
 * without a restart.
 */
export function bankHolidayYears(today: string): number[] {
  const year = Number(today.slice(0, 4))
  return Array.from({ length: 7 }, (_, i) => year - 1 + i)
}
