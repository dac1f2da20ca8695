import { UK_TIME_ZONE, type SessionRule } from '../domain/schedule.ts'
import { dateText as summaryDateText, sessionSummary } from '../domain/schedule-summary.ts'
import { VOCABULARIES } from '../domain/vocabularies.ts'

/**
 * Words for people: distances, UK dates and times in the NHS.UK style ("6pm", "6:30pm",
 * "midday"), costs, code labels, and a session's schedule line (the API's `summary`).
 */

/** A vocabulary's label for a code; a code from a vocabulary this branch does not know yet is made readable. */
export function label(vocabulary: string, code: string): string {
  const terms = (VOCABULARIES as Record<string, Record<string, string>>)[vocabulary]
  return terms?.[code] ?? readable(code)
}

/** 'home_visit' → 'Home visit'. */
export function readable(code: string): string {
  const s = code.replace(/_/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** Metres as "0.4 km", "1.5 km", "5 km", "12 km"; under 100 m "less than 0.1 km". */
export function distanceText(m: number): string {
  if (m < 100) return 'less than 0.1 km'
  const km = m / 1000
  return km < 10 ? `${km.toFixed(1).replace(/\.0$/, '')} km` : `${Math.round(km)} km`
}

/** '18:00' → '6pm', '18:30' → '6:30pm', '12:00' → 'midday', '00:00' → 'midnight'. */
export function clockText(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number)
  if (m === 0 && h === 12) return 'midday'
  if (m === 0 && h === 0) return 'midnight'
  const hour = h % 12 === 0 ? 12 : h % 12
  return `${hour}${m ? ':' + String(m).padStart(2, '0') : ''}${h < 12 ? 'am' : 'pm'}`
}

const dateParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: UK_TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
})

/** An instant (RFC 3339) on the UK clock: "Tuesday 24 November at 6pm". */
export function ukDateTimeText(instant: string, withYear = false): string {
  const p = Object.fromEntries(dateParts.formatToParts(new Date(instant)).map((x) => [x.type, x.value]))
  return `${p.weekday} ${p.day} ${p.month}${withYear ? ' ' + p.year : ''} at ${clockText(`${p.hour}:${p.minute}`)}`
}

/** A calendar date (YYYY-MM-DD) as "Saturday 5 December 2026": the summaries' own words for a date. */
export const dateText = (date: string) => summaryDateText(date, true)

/** A timestamp's UK date as "3 November 2026". */
export function dayText(instant: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: UK_TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(instant))
}

export interface SessionLike extends SessionRule {
  summary?: string
}

/**
 * The session's `summary`, as the API gives it; a session without one (a document from before
 * summaries) gets the same text from the one home of the words (domain/schedule-summary.ts).
 */
export function sessionText(s: SessionLike): string {
  return typeof s.summary === 'string' && s.summary.trim() ? s.summary : sessionSummary(s)
}

export interface CostLike { free: boolean; amount_pence?: number; per?: string; concessions?: string; description?: string }

/** "Free", "£3 per session", "£2.50 per week", "Costs vary" (and the concessions, when given). */
export function costText(c: CostLike | undefined): string {
  if (!c || c.free) return 'Free'
  if (typeof c.amount_pence !== 'number') return 'There is a cost'
  const pounds = c.amount_pence % 100 === 0 ? `£${c.amount_pence / 100}` : `£${(c.amount_pence / 100).toFixed(2)}`
  return c.per ? `${pounds} ${label('cost_per', c.per).toLowerCase()}` : pounds
}

/** Only web addresses are made links: anything else (a javascript: URL) is shown as text. */
export function webUrl(u: unknown): string | null {
  if (typeof u !== 'string') return null
  try {
    const url = new URL(u)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null
  } catch { return null }
}

/** A phone number for a tel: link: digits and a leading +. */
export function telHref(phone: string): string {
  return 'tel:' + phone.replace(/[^\d+]/g, '')
}

const languageNames = new Intl.DisplayNames(['en-GB'], { type: 'language' })

/** 'cy' → 'Welsh', 'bsl' → 'British Sign Language'. */
export function languageText(code: string): string {
  if (code === 'bsl') return 'British Sign Language'
  try { return languageNames.of(code) ?? code } catch { return code }
}
