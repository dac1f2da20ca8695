import {
  costText, dayText, distanceText, label, sessionText, telHref, ukDateTimeText, webUrl, type SessionLike,
} from './format.ts'
import { queryString, type Query } from './search-form.ts'

/**
 * What the templates print of a search item, and the lines a scheme's page shares with it
 * (scheme-view.ts; a zero-result page's suggestions: suggestions.ts). Fields that are not in every document yet
 * (a session's `summary`, `schedule_summary`, `by_arrangement`, `always_open`,
 * `referral`, `capacity`, `contact.text`, a scheme's `venues`, a page's `suggestions`)
 * are shown when present and never required.
 */

type Doc = Record<string, any>
export interface Link { href: string; text: string }
export interface Line { text: string; href?: string }

const list = (x: unknown): any[] => (Array.isArray(x) ? x : [])
const text = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() ? x : undefined)

export function schemeHref(id: string, back?: Query): string {
  const q = back && Object.keys(back).length ? `?${new URLSearchParams({ back: queryString(back) })}` : ''
  return `/find/schemes/${encodeURIComponent(id)}${q}`
}
export const searchHref = (q: Query) => `/find?${queryString(q)}`

export function addressText(venue: Doc | null | undefined): string {
  const a = venue?.address ?? {}
  return [a.line1, a.line2, [a.town, a.postcode].filter(Boolean).join(' ')].filter((x) => text(x)).join(', ')
}

/** When: each session's line, or what a scheme without fixed times says. */
export function whenLines(scheme: Doc, sessions: SessionLike[]): string[] {
  const lines = sessions.map(sessionText)
  if (scheme.always_open === true) lines.push('Open any time')
  if (scheme.by_arrangement === true) lines.push('Times arranged with you')
  return lines
}

export const nextDates = (instants: unknown) => list(instants).map((iso: string) => ({ iso, text: ukDateTimeText(iso) }))

/** Access: the venue's and the scheme's own, labelled, each once. */
export function accessLines(...codeLists: unknown[]): string[] {
  return [...new Set(codeLists.flatMap(list))].map((c) => label('accessibility', c))
}

const CAPACITY: Record<string, string> = { places_available: 'Places available', waiting_list: 'Waiting list', full: 'Full at the moment' }

/** Places: "Places available (4 places)", "Waiting list (about 3 weeks)", with the date it was said. */
export function capacityText(c: Doc | undefined): string | undefined {
  if (!c || typeof c.status !== 'string') return undefined
  const detail = [
    typeof c.places === 'number' ? `${c.places} ${c.places === 1 ? 'place' : 'places'}` : '',
    typeof c.waiting_weeks === 'number' ? `about ${c.waiting_weeks} ${c.waiting_weeks === 1 ? 'week' : 'weeks'}` : '',
    text(c.updated_at) ? `updated ${dayText(c.updated_at)}` : '',
  ].filter(Boolean)
  return `${CAPACITY[c.status] ?? label('capacity_status', c.status)}${detail.length ? ` (${detail.join(', ')})` : ''}`
}

/** How to join: the referral routes when the scheme gives them, else what self_referral and accepting_referrals say. */
export function referralLines(s: Doc): Line[] {
  const out: Line[] = []
  if (s.accepting_referrals === false) out.push({ text: 'Not taking new referrals at the moment' })
  const r = s.referral
  if (r && typeof r === 'object') {
    const methods = list(r.methods).map((m: string) => label('referral_methods', m))
    if (methods.length) out.push({ text: `How to join: ${methods.join(', ')}` })
    const from = list(r.accepted_from).map((m: string) => label('referral_from', m))
    if (from.length) out.push({ text: `Referrals accepted from: ${from.join(', ')}` })
    if (text(r.instructions)) out.push({ text: r.instructions })
    const url = webUrl(r.url)
    if (url) out.push({ text: 'Refer online', href: url })
    if (text(r.email)) out.push({ text: `Refer by email: ${r.email}`, href: `mailto:${r.email}` })
    if (text(r.phone)) out.push({ text: `Refer by phone: ${r.phone}`, href: telHref(r.phone) })
  } else {
    out.push({ text: s.self_referral ? 'You can contact them yourself' : 'You need a referral, for example from a GP or social prescribing link worker' })
  }
  return out
}

export function contactLines(c: Doc | undefined): Line[] {
  if (!c) return []
  const out: Line[] = []
  if (text(c.phone)) out.push({ text: `Phone: ${c.phone}`, href: telHref(c.phone) })
  if (text(c.email)) out.push({ text: `Email: ${c.email}`, href: `mailto:${c.email}` })
  const web = webUrl(c.website)
  if (web) out.push({ text: `Website: ${new URL(web).host}`, href: web })
  if (text(c.text)) out.push({ text: c.text })
  return out
}

export const deliveryText = (codes: unknown) => list(codes).map((c: string) => label('delivery', c)).join(', ')

/** One search result as a card shows it. */
export function resultView(item: Doc, q: Query) {
  const remote = item.distance_m === null || item.distance_m === undefined
  return {
    name: item.name as string,
    href: schemeHref(item.id, q),
    // a group that is its own organisation is not said twice
    organisation: item.organisation?.name !== item.name ? item.organisation?.name as string | undefined : undefined,
    where: remote ? undefined : { distance: `${distanceText(item.distance_m)} away`, venue: item.venue?.name as string, address: addressText(item.venue) },
    remote: remote ? deliveryText(list(item.delivery).filter((d: string) => d !== 'in_person')) : undefined,
    when: whenLines(item, list(item.matching_sessions)),
    next: nextDates(item.next_occurrences),
    access: accessLines(item.venue?.accessibility, item.accessibility),
    cost: costText(item.cost),
    concessions: text(item.cost?.concessions),
    places: capacityText(item.capacity),
    referral: referralLines(item),
    contact: contactLines(item.contact),
    stale: item.stale === true,
  }
}
