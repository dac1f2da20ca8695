import {
  costText, dayText, distanceText, label, languageText, sessionText, telHref, ukDateTimeText, webUrl, type SessionLike,
} from './format.ts'
import { queryString, withoutQuery, withoutText, filtersOf, widerRadius, type Query } from './search-form.ts'

/**
 * What the templates print, from the documents the API serves: a search item, a scheme
 * and a zero-result page's suggestions. Fields that are not in every document yet
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
    const from = list(r.accepted_from).map((m: string) => label('referral_sources', m))
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

export interface SuggestionsView {
  nearest: Array<{ href: string; name: string; organisation?: string; distance: string }>
  wider: { href: string; text: string } | null
  without: Array<{ href: string; text: string; matches?: string }>
}

/**
 * What to try when nothing matched: the search's own suggestions (the nearest matches
 * further out, and each filter whose removal finds some, with how many), or, on a page
 * that has none, a wider radius and each filter as a link that drops it.
 */
export function suggestionsView(page: Doc, q: Query): SuggestionsView {
  const s = page.suggestions && typeof page.suggestions === 'object' ? page.suggestions : null
  const nearest = list(s?.nearest).map((n: Doc) => ({
    href: schemeHref(n.id, q), name: n.name as string, organisation: n.organisation?.name as string | undefined, distance: `${distanceText(n.distance_m)} away`,
  }))
  const radius = widerRadius(q, list(s?.nearest).map((n: Doc) => Number(n.distance_m)).filter(Number.isFinite))
  const wider = radius ? { href: searchHref({ ...withoutQuery(q, 'cursor'), radius_m: String(radius) }), text: `Search up to ${distanceText(radius)} away` } : null
  const without = s
    ? list(s.without).filter((w: Doc) => typeof w.without === 'string').map((w: Doc) => ({
      href: searchHref(withoutQuery(q, w.without)), text: `Without ‘${withoutText(w.without)}’`,
      matches: typeof w.matches === 'number' ? `${w.capped ? 'at least ' : ''}${w.matches} ${w.matches === 1 ? 'result' : 'results'}` : undefined,
    }))
    : filtersOf(q).map((w) => ({ href: searchHref(withoutQuery(q, w)), text: `Without ‘${withoutText(w)}’` }))
  return { nearest, wider, without }
}

/** The scheme page: the whole document, with its venues by id and its next dates. */
export function schemeView(doc: Doc, venues: Map<string, Doc>, next: string[], currentSessions: Doc[]) {
  const sessionLines = currentSessions.map((s) => {
    const venue = s.venue_id ? venues.get(s.venue_id) : undefined
    return { text: sessionText(s as SessionLike), where: venue ? `${venue.name}, ${addressText(venue)}` : s.venue_id ? undefined : remoteWhere(doc), notes: text(s.notes) }
  })
  return {
    name: doc.name as string,
    organisation: doc.organisation?.name !== doc.name ? doc.organisation?.name as string | undefined : undefined,
    description: String(doc.description ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
    status: doc.status as string,
    summary: text(doc.schedule_summary),
    sessions: sessionLines,
    extraWhen: whenLines(doc, []),
    next: nextDates(next),
    venues: [...venues.values()].map((v) => ({ name: v.name as string, address: addressText(v), access: accessLines(v.accessibility) })),
    access: accessLines(doc.accessibility),
    delivery: deliveryText(doc.delivery),
    cost: costText(doc.cost),
    concessions: text(doc.cost?.concessions),
    costDescription: text(doc.cost?.description),
    places: capacityText(doc.capacity),
    referral: referralLines(doc),
    contact: contactLines(doc.contact),
    needs: list(doc.needs).map((c: string) => label('needs', c)),
    categories: list(doc.categories).map((c: string) => label('categories', c)),
    audience: list(doc.audience).map((c: string) => label('audience', c)),
    ages: agesText(doc.min_age, doc.max_age),
    groupSize: doc.group_size ? label('group_size', doc.group_size) : undefined,
    languages: list(doc.languages).map(languageText),
    verified: text(doc.last_verified_at) ? dayText(doc.last_verified_at) : undefined,
    stale: doc.stale === true,
  }
}

function remoteWhere(doc: Doc): string | undefined {
  const modes = list(doc.delivery).filter((d: string) => d !== 'in_person')
  return modes.length ? deliveryText(modes) : undefined
}

function agesText(min: unknown, max: unknown): string | undefined {
  if (typeof min === 'number' && typeof max === 'number') return `Ages ${min} to ${max}`
  if (typeof min === 'number') return `Ages ${min} and over`
  if (typeof max === 'number') return `Ages up to ${max}`
  return undefined
}
