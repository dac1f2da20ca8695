import { distanceText, label } from './format.ts'
import { DELIVERY_TEXT, FIELD_LABELS, LISTS, listOf, MAX_RADIUS_M, RADII_M, type Query } from './search-form.ts'
import { schemeHref, searchHref } from './views.ts'

/**
 * What a zero-result page offers: the search's own suggestions (the nearest matches
 * further out, and each filter whose removal finds some, with how many), or, on a page that
 * has none, a wider radius and each chosen filter as a link that drops it. A link re-runs
 * the search it came from with one thing changed.
 */

type Doc = Record<string, any>
const list = (x: unknown): any[] => (Array.isArray(x) ? x : [])

/** `without` as the search's suggestions spell it: `param=value`, as in the query. */
export function withoutQuery(q: Query, without: string): Query {
  const [name, value = ''] = splitWithout(without)
  const out: Query = { ...q }
  delete out.cursor
  if (name in LISTS || q[name]?.includes(',')) {
    // one value of a list, or the whole list as the query spelt it
    const drop = new Set(value.toLowerCase().split(',').map((v) => v.trim()))
    const rest = listOf(q, name).filter((v) => !drop.has(v))
    if (rest.length) out[name] = rest.join(','); else delete out[name]
  } else {
    delete out[name]
  }
  return out
}

/** "accessibility=seating" → "Seating available"; "free=true" → "Free only". */
export function withoutText(without: string): string {
  const [name, value = ''] = splitWithout(without)
  if (name === 'free') return value === 'true' ? 'Free only' : 'Paid only'
  const values = value.split(',').map((v) => v.trim()).filter(Boolean)
  if (name === 'delivery') return values.map((v) => DELIVERY_TEXT[v] ?? label('delivery', v)).join(' or ')
  if (name in LISTS) return values.map((v) => label(LISTS[name], v)).join(name === 'accessibility' ? ' and ' : ' or ')
  return `${FIELD_LABELS[name] ?? name}: ${value}`
}

function splitWithout(without: string): [string, string] {
  const i = without.indexOf('=')
  return i < 0 ? [without, ''] : [without.slice(0, i), without.slice(i + 1)]
}

/** Each filter of the query, one value at a time, as `without` strings: what to offer when the search has no suggestions of its own. */
export function filtersOf(q: Query): string[] {
  const out: string[] = []
  for (const name of Object.keys(LISTS)) for (const v of listOf(q, name)) out.push(`${name}=${v}`)
  if (q.free) out.push(`free=${q.free}`)
  return out
}

/** The next radius out: the nearest suggestions' furthest distance, rounded up to a whole km, or the next step of the form. */
export function widerRadius(q: Query, nearestM: number[] = []): number | null {
  const now = Number(q.radius_m ?? 5000)
  const wanted = nearestM.length ? Math.ceil(Math.max(...nearestM) / 1000) * 1000 : RADII_M.find((r) => r > now) ?? MAX_RADIUS_M
  const radius = Math.min(MAX_RADIUS_M, Math.max(wanted, now + 1000))
  return radius > now ? radius : null
}

export interface SuggestionsView {
  nearest: Array<{ href: string; name: string; organisation?: string; distance: string }>
  wider: { href: string; text: string } | null
  without: Array<{ href: string; text: string; matches?: string }>
}

/** The zero-result page's links, from the page's `suggestions` when it has them. */
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
