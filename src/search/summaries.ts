import { scheduleSummary, sessionSummary, type Break, type ScheduleOf } from '../domain/schedule-summary.ts'
import type { SessionRule } from '../domain/schedule.ts'

/**
 * The summaries of src/domain/schedule-summary.ts, the same text, for a search page: made
 * afresh they were most of the page's own work after the SQL (npm run bench prints it), and
 * many schemes share a rule ("weekly, Tuesday, 18:00 to 19:30") and a break ("August"), so
 * the texts are kept in small LRUs keyed by what they are made of.
 * test/search/summaries.test.ts compares them with the module's.
 */

const MAX = 4096
const sessions = new Map<string, string>()
const schemes = new Map<string, string>()

function cached(map: Map<string, string>, key: string, make: () => string): string {
  const hit = map.get(key)
  if (hit !== undefined) {
    map.delete(key) // most recently used last
    map.set(key, hit)
    return hit
  }
  const text = make()
  if (map.size >= MAX) map.delete(map.keys().next().value as string)
  map.set(key, text)
  return text
}

/** Everything a session's text is made of, as one string. */
const ruleKey = (s: SessionRule) => `${s.frequency}|${s.days?.join(',') ?? ''}|${s.week_of_month ?? ''}|${s.date ?? ''}|${s.starts}|${s.ends ?? ''}|` +
  `${s.valid_from ?? ''}|${s.valid_to ?? ''}|${s.except_dates?.join(',') ?? ''}|${s.except_bank_holidays ? 1 : 0}`

/** A scheme's breaks as one string ('' for none). */
export const breaksKey = (breaks: readonly Break[] | null | undefined) => breaks?.map((b) => `${b.from}/${b.to}/${b.reason ?? ''}`).join('\u0001') ?? ''

/** sessionSummary(s, breaks); `key` is breaksKey(breaks), made once per item. */
export function sessionSummaryCached(s: SessionRule, breaks: readonly Break[] | null | undefined, key = breaksKey(breaks)): string {
  return cached(sessions, `${ruleKey(s)}\u0002${key}`, () => sessionSummary(s, breaks))
}

/** scheduleSummary(scheme); `key` is breaksKey(scheme.breaks). */
export function scheduleSummaryCached(scheme: ScheduleOf, key = breaksKey(scheme.breaks)): string {
  if (scheme.sessions.length === 1 && !scheme.always_open && !scheme.by_arrangement) return sessionSummaryCached(scheme.sessions[0], scheme.breaks, key)
  const whole = `${scheme.always_open ? 1 : 0}${scheme.by_arrangement ? 1 : 0}\u0002${key}\u0002${scheme.sessions.map(ruleKey).join('\u0003')}`
  return cached(schemes, whole, () => scheduleSummary(scheme))
}
