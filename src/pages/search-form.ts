import type { ProblemItem } from '../errors.ts'
import { codes, VOCABULARIES } from '../domain/vocabularies.ts'
import { SearchQuery } from '../schemas/search.ts'
import { distanceText, label } from './format.ts'

/**
 * The search form speaks the search's own parameter names (postcode, radius_m, days,
 * period, accessibility, need, free, delivery), so that every link on the page (more
 * results, a suggestion) is a search as the API spells it, and the API's problem items
 * name the form's fields.
 */

export type Query = Record<string, string>

const SEARCH_PARAMS = new Set(Object.keys(SearchQuery.properties))
/** The form's list fields: checkboxes send one value per box, the search takes them comma-separated. */
export const LISTS: Record<string, string> = { days: 'days', period: 'period', accessibility: 'accessibility', delivery: 'delivery', need: 'needs' }

export const RADII_M = [1000, 2000, 5000, 10000, 25000, 50000]
export const MAX_RADIUS_M = 200000

/**
 * The query as a browser sends it (a name repeated per ticked box, empty text fields)
 * as the search's parameters: lists comma-joined, empty values left out, and names the
 * search does not know (utm_source…) dropped rather than refused: a person should not
 * meet a 400 for what a link added.
 */
export function searchQueryOf(raw: Record<string, unknown>): Query {
  const out: Query = {}
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (!SEARCH_PARAMS.has(name)) continue
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean)
    if (values.length) out[name] = values.join(',')
  }
  return out
}

/** Did the person submit a search (rather than open the blank form)? */
export function isSubmitted(raw: Record<string, unknown>): boolean {
  return Object.keys(raw ?? {}).some((k) => SEARCH_PARAMS.has(k))
}

export function queryString(q: Query): string {
  return new URLSearchParams(q).toString()
}

export const listOf = (q: Query, name: string) => (q[name] ? q[name].split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : [])

/** Where each problem's field is on the form (the first box of a group), for the error summary's links. */
const FIELD_IDS: Record<string, string> = {
  postcode: 'postcode', radius_m: 'radius_m', days: 'days', period: 'period', accessibility: 'accessibility', need: 'need', free: 'free',
  delivery: 'delivery',
}
export const FIELD_LABELS: Record<string, string> = {
  radius_m: 'Distance', days: 'Days', period: 'Time of day', accessibility: 'Access needs', need: 'What you would like help with', free: 'Free only',
  delivery: 'How you would like to take part',
}

/** Why a postcode could not be used, in the words the page gives a person. */
export type PostcodeTrouble = 'missing' | 'malformed' | 'northern_ireland' | 'not_covered' | 'not_found'
const POSTCODE_MESSAGES: Record<PostcodeTrouble, string> = {
  missing: 'Enter a postcode, like SE15 4AA',
  malformed: 'Enter a real postcode, like SE15 4AA, or the first part and one number, like SE15 4',
  northern_ireland: 'Postcodes in Northern Ireland (starting BT) are not covered yet. Enter a postcode in England, Scotland or Wales',
  not_covered: 'Postcodes in the Channel Islands and the Isle of Man are not covered. Enter a postcode in England, Scotland or Wales',
  not_found: 'We could not find that postcode. Check it and try again',
}

export interface FieldError { field: string; text: string; href?: string }

/**
 * The search's problem items as the error summary lists them, each linking to its field.
 * `postcode` says why the postcode was refused, when it was (the route asks the resolver).
 */
export function fieldErrors(items: ProblemItem[], postcode?: PostcodeTrouble): FieldError[] {
  return items.map((item) => {
    const field = item.parameter ?? item.header ?? ''
    const id = FIELD_IDS[field]
    let text: string
    if (field === 'postcode') text = postcode ? POSTCODE_MESSAGES[postcode] : `Postcode: ${item.message}`
    else if (field === 'cursor') text = 'The link to more results is out of date. Search again'
    // a select's value is wrong only in an edited link
    else if (field === 'radius_m') text = 'Choose how far you can travel from the list'
    else text = `${FIELD_LABELS[field] ?? field}: ${item.message}`
    return id ? { field, text, href: `#${id}` } : { field, text }
  })
}

export const postcodeMissing: ProblemItem = { parameter: 'postcode', message: 'is required' }

interface Item { value: string; text: string; checked?: boolean; selected?: boolean }

/** The form's fields with the values of this query, as the nhsuk-frontend macros take them. */
export function formFields(q: Query) {
  const boxes = (name: string, vocabulary: string, texts: Record<string, string> = {}): Item[] => {
    const chosen = new Set(listOf(q, name))
    return Object.keys((VOCABULARIES as any)[vocabulary]).map((code) => ({ value: code, text: texts[code] ?? label(vocabulary, code), checked: chosen.has(code) }))
  }
  const radius = Number(q.radius_m ?? 5000)
  const radii = RADII_M.includes(radius) || !Number.isFinite(radius) ? RADII_M : [...RADII_M, radius].sort((a, b) => a - b)
  const needs = listOf(q, 'need')
  const needItems: Item[] = [{ value: '', text: 'Anything' },
    ...codes('needs').map((code) => ({ value: code, text: label('needs', code), selected: needs.length === 1 && needs[0] === code }))]
  if (needs.length > 1) needItems.push({ value: needs.join(','), text: needs.map((n) => label('needs', n)).join(' or '), selected: true })
  return {
    postcode: q.postcode ?? '',
    radius: radii.map((m) => ({ value: String(m), text: distanceText(m), selected: m === radius })),
    days: boxes('days', 'days'),
    period: boxes('period', 'period'),
    accessibility: boxes('accessibility', 'accessibility'),
    need: needItems,
    delivery: boxes('delivery', 'delivery', DELIVERY_TEXT),
    free: q.free === 'true',
    /** Search parameters the form has no field for (a link's category, say): kept as hidden inputs. */
    hidden: Object.entries(q).filter(([k]) => !(k in FIELD_IDS) && k !== 'cursor').map(([name, value]) => ({ name, value })),
  }
}

/** Delivery as a person would choose it: going somewhere, online, or at home and by phone. */
export const DELIVERY_TEXT: Record<string, string> = {
  in_person: 'In person, at a venue', online: 'Online', telephone: 'By phone', home_visit: 'At home (a home visit)',
  text_chat: 'By text or online chat',
}
