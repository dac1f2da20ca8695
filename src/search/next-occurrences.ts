import { addDays, formatUk, holidayRegion, NO_EXCEPTIONS, occursOn, ukDate, ukInstant, type Exceptions, type SessionRule } from '../domain/schedule.ts'

/**
 * `nextOccurrences` of src/domain/schedule.ts, the same answer, for a search page: its
 * day-by-day walk with a time-zone conversion per day was a third of the server's time
 * under load (docs/performance.md). The start instants of one session rule over the
 * window depend only on the rule and the UK date, and many schemes share a rule ("weekly,
 * Tuesday, 18:00"), so they are kept per (UK date, rule) in a small LRU; each page then
 * only picks the instants after now. test/search/next-occurrences.test.ts compares the two.
 */

const WITHIN_MS = 60 * 86_400_000
const COUNT = 3
const MAX_RULES = 4096
const MAX_STAMPS = 8192

const startsByRule = new Map<string, number[]>()
const stamps = new Map<number, string>()

function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  if (map.size >= max) map.delete(map.keys().next().value as K)
  map.set(key, value)
  return value
}

/**
 * Start instants of rule `s` on the UK dates from `today` to `today` + 61: a superset of
 * any window of 60 × 24 hours from a moment of `today` (across a clock change the window
 * can end on the 61st day).
 */
function ruleStarts(s: SessionRule, today: string, ex: Exceptions): number[] {
  // the exceptions only where they bear: a calendar for a session that skips bank holidays, breaks when there are some
  const key = JSON.stringify([today, s.frequency, s.days, s.week_of_month, s.date, s.starts, s.valid_from, s.valid_to, s.except_dates,
    s.except_bank_holidays ? holidayRegion(s, ex) : null, ex.breaks?.length ? ex.breaks.map((b) => [b.from, b.to]) : null])
  const hit = startsByRule.get(key)
  if (hit) {
    startsByRule.delete(key) // most recently used last
    startsByRule.set(key, hit)
    return hit
  }
  const out: number[] = []
  const last = addDays(today, 61)
  for (let day = today; day <= last; day = addDays(day, 1)) {
    if (occursOn(s, day, ex)) out.push(ukInstant(day, s.starts).getTime())
  }
  return remember(startsByRule, key, out, MAX_RULES)
}

function stamp(t: number): string {
  return stamps.get(t) ?? remember(stamps, t, formatUk(new Date(t)), MAX_STAMPS)
}

/**
 * Up to 3 start instants of these sessions strictly after `now` and within 60 × 24 h,
 * ascending, each once. `today` is `now`'s UK date (a page computes it once); `ex` the
 * scheme's breaks and its venues' bank-holiday calendars.
 */
export function nextOccurrencesCached(sessions: SessionRule[], now: Date, today = ukDate(now), ex: Exceptions = NO_EXCEPTIONS): string[] {
  if (sessions.length === 0) return []
  const from = now.getTime()
  const until = from + WITHIN_MS
  const found = new Set<number>()
  for (const s of sessions) {
    for (const t of ruleStarts(s, today, ex)) if (t > from && t <= until) found.add(t)
  }
  return [...found].sort((a, b) => a - b).slice(0, COUNT).map(stamp)
}
