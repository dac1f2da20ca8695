import { isUuid } from '../domain/ids.ts'
import type { ProblemItem } from '../errors.ts'
import { codes, REMOTE_DELIVERY, type VocabularyName } from '../domain/vocabularies.ts'
import { addDays, isCalendarDate } from '../domain/schedule.ts'

/**
 * SPEC §3 search parameters: checks the ones Ajv cannot express (comma-separated code
 * lists, HH:MM, the date window, lat/lon together, postcode or coordinates) and turns the
 * query string into one normalised SearchFilters value.
 */

export interface SearchFilters {
  place: { lat: number; lon: number } | { postcode: string } | null
  radiusM: number
  days: string[] | null
  periods: string[] | null
  startsAfter: string | null
  endsBefore: string | null
  date: string | null
  accessibility: string[] | null
  /** The delivery modes asked for, after the default (in_person with a place, all without). */
  delivery: string[]
  categories: string[] | null
  needs: string[] | null
  audience: string[] | null
  /** audience_only: only schemes that list an asked audience, not those open to everyone. */
  audienceOnly: boolean
  groupSizes: string[] | null
  languages: string[] | null
  free: boolean | null
  maxCostPence: number | null
  age: number | null
  selfReferral: boolean | null
  acceptingReferrals: boolean | null
  /** referral_from: who the referrer is, any of (issue 13) */
  referralFrom: string[] | null
  /** has_places: true places available; false a waiting list or full (issue 13) */
  hasPlaces: boolean | null
  q: string | null
  organisationId: string | null
  verifiedWithinDays: number | null
  /** include_unconfirmed: schemes unlisted for going unconfirmed too long come back (issue 15) */
  includeUnconfirmed: boolean
  limit: number
  cursor: string | null
}

/** query parameter → vocabulary of its codes */
const CODE_LISTS: Record<string, VocabularyName> = {
  days: 'days', period: 'period', delivery: 'delivery', accessibility: 'accessibility',
  category: 'categories', need: 'needs', audience: 'audience', group_size: 'group_size', referral_from: 'referral_from',
}
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/
const LANGUAGE = /^([a-z]{2}|bsl)$/
export const DATE_WINDOW_DAYS = 365
export const DEFAULT_RADIUS_M = 5000
export const DEFAULT_LIMIT = 20

export type ParseResult = { ok: true; filters: SearchFilters } | { ok: false; errors: ProblemItem[] }

/**
 * `raw` is the query after Ajv (types coerced where it could); `schemaErrors` are Ajv's
 * items. Returns every problem at once, one per parameter, this module's message first.
 */
export function parseSearchParams(raw: Record<string, unknown>, today: string, schemaErrors: ProblemItem[] = []): ParseResult {
  const errors = new Map<string, string>()
  const fail = (parameter: string, message: string) => { if (!errors.has(parameter)) errors.set(parameter, message) }
  const text = (name: string): string | null => {
    const v = raw[name]
    if (v === undefined) return null
    if (typeof v !== 'string') return null // Ajv names it
    if (v.trim() === '') { fail(name, 'must not be empty'); return null }
    // PostgreSQL text cannot hold NUL; no parameter has a use for control characters
    if (/[\u0000-\u001f\u007f]/.test(v)) { fail(name, 'must not contain control characters'); return null }
    return v.trim()
  }

  const list = (name: string): string[] | null => {
    const v = text(name)
    if (v === null) return null
    const items = [...new Set(v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))]
    if (items.length === 0) { fail(name, 'must list at least one code'); return null }
    const vocabulary = CODE_LISTS[name]
    if (vocabulary) {
      const allowed = codes(vocabulary) as string[]
      const unknown = items.filter((x) => !allowed.includes(x))
      if (unknown.length) {
        fail(name,
          `unknown ${unknown.length === 1 ? 'code' : 'codes'} ${unknown.map((x) => JSON.stringify(x)).join(', ')}: give one or more of ${allowed.join(', ')}, comma-separated`)
        return null
      }
    } else if (name === 'language') {
      const bad = items.filter((x) => !LANGUAGE.test(x))
      if (bad.length) { fail(name,
        `${bad.map((x) => JSON.stringify(x)).join(', ')}: give ISO 639-1 language codes (two letters, e.g. en, cy, pl) or bsl, comma-separated`); return null }
    }
    return items.sort()
  }

  const time = (name: string): string | null => {
    const v = text(name)
    if (v === null) return null
    if (!TIME.test(v)) { fail(name, 'must be a time HH:MM, 24-hour, from 00:00 to 23:59'); return null }
    return v
  }

  // Ajv's uuid format also takes a urn:uuid: prefix, which PostgreSQL does not
  const uuid = (name: string): string | null => {
    const v = text(name)
    if (v === null) return null
    if (!isUuid(v)) { fail(name, 'must be a UUID, e.g. 6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f'); return null }
    return v.toLowerCase()
  }

  const num = (name: string): number | null => {
    const v = raw[name]
    if (v === undefined) return null
    if (typeof v !== 'number') return null // Ajv names it
    if (!Number.isFinite(v)) { fail(name, 'must be a finite number'); return null }
    return v
  }
  const bool = (name: string): boolean | null => (typeof raw[name] === 'boolean' ? (raw[name] as boolean) : null)

  // Place: lat and lon together, or a postcode, never both.
  const lat = num('lat')
  const lon = num('lon')
  const postcode = text('postcode')
  if (raw.lat !== undefined && raw.lon === undefined) fail('lon', 'is required with lat')
  if (raw.lon !== undefined && raw.lat === undefined) fail('lat', 'is required with lon')
  if (raw.postcode !== undefined && (raw.lat !== undefined || raw.lon !== undefined)) {
    fail('postcode', 'give either postcode or lat and lon, not both')
  }
  let place: SearchFilters['place'] = null
  if (postcode !== null) place = { postcode }
  else if (lat !== null && lon !== null) place = { lat, lon }

  let date: string | null = text('date')
  if (date !== null) {
    if (!isCalendarDate(date)) { fail('date', 'must be a date YYYY-MM-DD'); date = null } else if (date < today || date > addDays(today, DATE_WINDOW_DAYS)) {
      fail('date', `must be from today (${today}, UK) to ${addDays(today, DATE_WINDOW_DAYS)}`)
      date = null
    }
  }

  const hasPlace = raw.postcode !== undefined || raw.lat !== undefined || raw.lon !== undefined
  const delivery = list('delivery') ?? (hasPlace ? ['in_person'] : ['in_person', ...REMOTE_DELIVERY].sort())

  const filters: SearchFilters = {
    place,
    radiusM: num('radius_m') ?? DEFAULT_RADIUS_M,
    days: list('days'),
    periods: list('period'),
    startsAfter: time('starts_after'),
    endsBefore: time('ends_before'),
    date,
    accessibility: list('accessibility'),
    delivery,
    categories: list('category'),
    needs: list('need'),
    audience: list('audience'),
    audienceOnly: bool('audience_only') ?? false,
    groupSizes: list('group_size'),
    languages: list('language'),
    free: bool('free'),
    maxCostPence: num('max_cost_pence'),
    age: num('age'),
    selfReferral: bool('self_referral'),
    acceptingReferrals: bool('accepting_referrals'),
    referralFrom: list('referral_from'),
    hasPlaces: bool('has_places'),
    q: text('q'),
    organisationId: uuid('organisation_id'),
    verifiedWithinDays: num('verified_within_days'),
    includeUnconfirmed: bool('include_unconfirmed') ?? false,
    limit: num('limit') ?? DEFAULT_LIMIT,
    cursor: text('cursor'),
  }

  for (const e of schemaErrors) if (e.parameter !== undefined) fail(e.parameter, e.message)
  if (errors.size > 0) {
    return { ok: false, errors: [...errors].map(([parameter, message]) => ({ parameter, message })) }
  }
  return { ok: true, filters }
}

// audienceOnly narrows audience, and goes with it (an audience left out leaves it nothing to narrow);
// includeUnconfirmed widens a search, so leaving it out is never a suggestion
export type FilterField = Exclude<keyof SearchFilters, 'place' | 'radiusM' | 'delivery' | 'limit' | 'cursor' | 'audienceOnly' | 'includeUnconfirmed'>

/**
 * Every filter a search may ask, by its SearchFilters field, with the query parameter that
 * sets it: the one list of what narrows a search (suggestions.ts leaves each out in turn).
 * A filter is asked when its field is not null, and left out by setting it to null. The
 * place, the radius (answered by the nearest schemes beyond it), delivery (which kinds of
 * match are sought, with a default) and paging are not filters. `allOf`: a scheme must meet
 * every code, so each code is a filter of its own; the others are one filter each. The
 * Record's type makes a new field of SearchFilters a compile error until it is listed here.
 */
export const FILTER_PARAMETERS: Record<FilterField, { parameter: string; allOf?: true }> = {
  days: { parameter: 'days' },
  periods: { parameter: 'period' },
  startsAfter: { parameter: 'starts_after' },
  endsBefore: { parameter: 'ends_before' },
  date: { parameter: 'date' },
  accessibility: { parameter: 'accessibility', allOf: true },
  categories: { parameter: 'category' },
  needs: { parameter: 'need' },
  audience: { parameter: 'audience' },
  groupSizes: { parameter: 'group_size' },
  languages: { parameter: 'language' },
  free: { parameter: 'free' },
  maxCostPence: { parameter: 'max_cost_pence' },
  age: { parameter: 'age' },
  selfReferral: { parameter: 'self_referral' },
  acceptingReferrals: { parameter: 'accepting_referrals' },
  referralFrom: { parameter: 'referral_from' },
  hasPlaces: { parameter: 'has_places' },
  q: { parameter: 'q' },
  organisationId: { parameter: 'organisation_id' },
  verifiedWithinDays: { parameter: 'verified_within_days' },
}

/** One asked filter (`accessibility=seating`, `category=walking,befriending`) and the search's filters without it. */
export interface Relaxation { without: string; filters: SearchFilters }

/** The search's filters with each asked filter left out in turn, in FILTER_PARAMETERS order. */
export function relaxations(f: SearchFilters): Relaxation[] {
  const out: Relaxation[] = []
  for (const field of Object.keys(FILTER_PARAMETERS) as FilterField[]) {
    const { parameter, allOf } = FILTER_PARAMETERS[field]
    const value = f[field] as unknown
    if (value === null || value === undefined) continue
    if (allOf && Array.isArray(value)) {
      for (const code of value) {
        const rest = value.filter((x) => x !== code)
        out.push({ without: `${parameter}=${code}`, filters: { ...f, [field]: rest.length ? rest : null } })
      }
    } else {
      out.push({ without: `${parameter}=${Array.isArray(value) ? value.join(',') : String(value)}`, filters: { ...f, [field]: null } })
    }
  }
  return out
}

/** Session filters that a remote scheme without remote sessions cannot satisfy (unless always open or by arrangement). */
export function asksSessionFilter(f: SearchFilters): boolean {
  return !!(f.days || f.periods || f.startsAfter || f.endsBefore || f.date)
}

/**
 * The search's identity for its cursor: every filter and the resolved origin, but not
 * the limit nor the cursor itself. Two spellings of one search give the same text.
 */
export function canonicalSearch(f: SearchFilters, origin: { lat: number; lon: number } | null): string {
  const { place: _place, cursor: _cursor, limit: _limit, radiusM, ...rest } = f
  return JSON.stringify({ ...rest, origin, radiusM: origin ? radiusM : null })
}
