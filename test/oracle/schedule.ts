/**
 * The oracle's own reading of SPEC §2 schedules, written apart from src/domain/schedule.ts:
 * dates as JavaScript UTC dates, monthly weeks found by listing the month's weekdays, and
 * the UK clock from the EU rule (summer time from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October) rather than from the time-zone database.
 */
export interface OSession {
  venue_id: string | null
  frequency: 'weekly' | 'fortnightly' | 'monthly' | 'once'
  days: string[]
  week_of_month: number | null
  date: string | null
  starts: string
  ends: string
  valid_from: string | null
  valid_to: string | null
  except_dates: string[]
  notes: string
}

const NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] // getUTCDay order
const DAY = 86_400_000
const toDate = (s: string) => new Date(s + 'T00:00:00Z')
const iso = (d: Date) => d.toISOString().slice(0, 10)

export const dayName = (s: string) => NAMES[toDate(s).getUTCDay()]
export const plusDays = (s: string, n: number) => iso(new Date(toDate(s).getTime() + n * DAY))

export function runs(ss: OSession, d: string): boolean {
  if (ss.valid_from !== null && d < ss.valid_from) return false
  if (ss.valid_to !== null && d > ss.valid_to) return false
  if (ss.except_dates.includes(d)) return false
  if (ss.frequency === 'once') return ss.date === d
  if (!ss.days.includes(dayName(d))) return false
  if (ss.frequency === 'weekly') return true
  if (ss.frequency === 'fortnightly') {
    const mondayOf = (s: string) => { const x = toDate(s); x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7)); return x.getTime() }
    const weeks = Math.round((mondayOf(d) - mondayOf(ss.valid_from!)) / (7 * DAY))
    return weeks % 2 === 0
  }
  // monthly: list this weekday's dates in the month
  const first = toDate(d.slice(0, 8) + '01')
  const same: string[] = []
  for (let x = first; x.getUTCMonth() === first.getUTCMonth(); x = new Date(x.getTime() + DAY)) {
    if (x.getUTCDay() === toDate(d).getUTCDay()) same.push(iso(x))
  }
  const pick = ss.week_of_month === -1 ? same[same.length - 1] : same[(ss.week_of_month ?? 0) - 1]
  return pick === d
}

export function current(ss: OSession, today: string): boolean {
  return ss.frequency === 'once' ? ss.date! >= today : ss.valid_to === null || ss.valid_to >= today
}

function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0))
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1)
}

export function summer(ms: number): boolean {
  const y = new Date(ms).getUTCFullYear()
  return ms >= lastSundayUtc(y, 2) && ms < lastSundayUtc(y, 9)
}

/** UK date at an instant. */
export function ukToday(ms: number): string {
  return iso(new Date(ms + (summer(ms) ? 3600_000 : 0)))
}

/** UK wall clock → instant: the summer reading when it is one, else the winter one. */
export function startInstant(d: string, hhmm: string): number {
  const wall = Date.parse(`${d}T${hhmm}:00Z`)
  // read on the summer clock if summer time is in force at that reading (this also picks
  // the first of October's repeated hour); otherwise winter (also March's missing hour)
  return summer(wall - 3600_000) ? wall - 3600_000 : wall
}

export function rfc3339Uk(ms: number): string {
  return summer(ms) ? new Date(ms + 3600_000).toISOString().slice(0, 19) + '+01:00' : new Date(ms).toISOString().slice(0, 19) + 'Z'
}

export function upcoming(sessions: OSession[], nowMs: number): string[] {
  const today = ukToday(nowMs)
  const found = new Set<number>()
  for (const ss of sessions) {
    for (let i = -1; i <= 62; i++) {
      const d = plusDays(today, i)
      if (!runs(ss, d)) continue
      const t = startInstant(d, ss.starts)
      if (t > nowMs && t <= nowMs + 60 * DAY) found.add(t)
    }
  }
  return [...found].sort((x, y) => x - y).slice(0, 3).map(rfc3339Uk)
}
