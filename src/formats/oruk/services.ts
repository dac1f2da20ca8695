import { VOCABULARIES } from '../../domain/vocabularies.ts'
import { orukId, salId } from './ids.ts'
import { alwaysOpenSchedules, toSchedule, type OrukSchedule } from './schedules.ts'
import { term, type TaxonomyVocabulary } from './taxonomies.ts'
import { fullLocation, locationSummary } from './locations.ts'
import { isEmail, isUri, languageName } from './text.ts'
import type { MappingContext, NativeOrganisation, NativeScheme, NativeSession, NativeVenue } from './types.ts'

type Json = Record<string, unknown>

const STATUS = { active: 'active', paused: 'temporarily closed', ended: 'defunct' } as const

/** The organisation as ORUK nests it; `full` adds its charity number as an identifier. */
export function organization(o: NativeOrganisation, full = false): Json {
  // ORUK requires a description; an organisation without one gets an empty string.
  const out: Json = { id: o.id, name: o.name, description: o.description ?? '' }
  if (o.email && isEmail(o.email)) out.email = o.email
  if (o.website && isUri(o.website)) out.website = o.website
  if (full && o.charity_number) {
    out.organization_identifiers = [{
      id: orukId('identifier', o.id, 'charity'), organization_id: o.id,
      identifier_scheme: charityRegister(o.charity_number), identifier_type: 'Charity number', identifier: o.charity_number,
    }]
  }
  return out
}

/** org-id.guide register codes: Scotland (SC…), Northern Ireland (NIC…/1xxxxx), else England and Wales. */
function charityRegister(number: string): string {
  const n = number.trim().toUpperCase()
  if (n.startsWith('SC')) return 'GB-SC'
  if (n.startsWith('NI')) return 'GB-NIC'
  return 'GB-CHC'
}

/**
 * The one-to-one fields of a service, as in service_list and service_at_location lists.
 * last_modified is when the service last changed: the scheme, its organisation or a venue
 * (the repository's serviceModifiedAt), else the scheme's own updated_at.
 */
export function serviceSummary(s: NativeScheme, o: NativeOrganisation, lastModified = s.updated_at): Json {
  const out: Json = { id: s.id, organization_id: s.organisation_id, name: s.name, description: s.description, status: STATUS[s.status] }
  if (s.contact.website && isUri(s.contact.website)) out.url = s.contact.website
  if (s.contact.email && isEmail(s.contact.email)) out.email = s.contact.email
  out.fees = fees(s.cost)
  if (s.min_age != null) out.minimum_age = s.min_age
  if (s.max_age != null) out.maximum_age = s.max_age
  out.assured_date = s.last_verified_at.slice(0, 10)
  const warning = alert(s)
  if (warning) out.alert = warning
  const process = applicationProcess(s)
  if (process) out.application_process = process
  out.last_modified = lastModified
  out.organization = organization(o)
  return out
}

export interface FullServiceInput {
  scheme: NativeScheme
  organisation: NativeOrganisation
  /** The scheme's current sessions. */
  sessions: NativeSession[]
  /** The undeleted venues those sessions meet at. */
  venues: NativeVenue[]
  /** A radius service area as a GeoJSON polygon (the database buffers the circle). */
  areaExtent?: string
  /** When the service last changed (serviceSummary) */
  lastModified?: string
}

/** A fully nested service (GET /services/{id}). */
export function fullService(input: FullServiceInput, ctx: MappingContext): Json {
  const { scheme: s, organisation: o, venues } = input
  const venueIds = new Set(venues.map((v) => v.id))
  const sessions = input.sessions.filter((ss) => ss.venue_id === null || venueIds.has(ss.venue_id))
  return {
    ...serviceSummary(s, o, input.lastModified),
    organization: organization(o, true),
    schedules: [...schedules(s, sessions, venues), ...(s.always_open ? alwaysOpenSchedules(s.id, remoteAttending(s)) : [])],
    service_areas: serviceAreas(s, input.areaExtent),
    service_at_locations: venues.map((v) => ({ id: salId(s.id, v.id), service_id: s.id, location_id: v.id, location: fullLocation(v, ctx) })),
    languages: languages(s),
    cost_options: costOptions(s),
    ...phones(s),
    attributes: attributes(s),
  }
}

/** The service nested in a full service_at_location: the service with this venue's schedules only. */
export function serviceForLocation(input: FullServiceInput, venue: NativeVenue): Json {
  const { scheme: s, organisation: o } = input
  return {
    ...serviceSummary(s, o, input.lastModified),
    organization: organization(o, true),
    schedules: schedules(s, input.sessions.filter((ss) => ss.venue_id === venue.id), [venue]),
    service_areas: serviceAreas(s, input.areaExtent),
    languages: languages(s),
    cost_options: costOptions(s),
    ...phones(s),
    attributes: attributes(s),
  }
}

/** A service_at_location list item: the scheme at one venue, one-to-one fields only. */
export function salSummary(s: NativeScheme, o: NativeOrganisation, v: NativeVenue, lastModified?: string): Json {
  return { id: salId(s.id, v.id), service_id: s.id, location_id: v.id, location: locationSummary(v), service: serviceSummary(s, o, lastModified) }
}

/** A fully nested service_at_location (GET /service_at_locations/{id}). */
export function fullSal(input: FullServiceInput, v: NativeVenue, ctx: MappingContext): Json {
  const s = input.scheme
  return { id: salId(s.id, v.id), service_id: s.id, location_id: v.id, location: fullLocation(v, ctx), service: serviceForLocation(input, v) }
}

const remoteAttending = (s: NativeScheme) => {
  const remote = s.delivery.filter((d) => d !== 'in_person').map((d) => VOCABULARIES.delivery[d as keyof typeof VOCABULARIES.delivery].toLowerCase())
  return remote.length ? `Remote: ${remote.join(', ')}` : undefined
}

function schedules(s: NativeScheme, sessions: NativeSession[], venues: NativeVenue[]): OrukSchedule[] {
  const names = new Map(venues.map((v) => [v.id, v.name]))
  return sessions.map((ss) => ss.venue_id
    ? toSchedule(s.id, ss, salId(s.id, ss.venue_id), `In person at ${names.get(ss.venue_id)}`, s.breaks)
    : toSchedule(s.id, ss, undefined, remoteAttending(s), s.breaks))
}

/**
 * ORUK's short-term alert: not taking referrals, and the capacity (issue 13), which the UK
 * profile has no field for (HSDS 3.1's service_capacity came later): in words, with its date.
 */
function alert(s: NativeScheme): string | undefined {
  const parts: string[] = []
  if (!s.accepting_referrals) parts.push('Not accepting new referrals at the moment.')
  const c = s.capacity
  if (c) {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
    const now = c.status === 'places_available' ? `Places available${c.places != null ? `: ${c.places}` : ''}`
      : c.status === 'waiting_list' ? `Waiting list${c.waiting_weeks != null ? `: about ${plural(c.waiting_weeks, 'week')}` : ''}` : 'Full'
    parts.push(`${now} (as of ${c.updated_at.slice(0, 10)}).`)
  }
  return parts.length ? parts.join(' ') : undefined
}

const METHOD_WORDS: Record<string, (r: NonNullable<NativeScheme['referral']>) => string> = {
  form: (r) => `the referral form at ${r.url}`,
  email: (r) => `e-mail to ${r.email}`,
  phone: (r) => `phone ${r.phone}`,
  in_person: () => 'in person',
  self: () => 'the person getting in touch themselves',
}

/**
 * How to refer, in words (issue 13): HSDS 3.0's application_process, which the UK profile
 * dropped; kept, as phones are, so that the referral's details are not lost (docs/oruk.md).
 * Its methods and sources are also attributes.
 */
function applicationProcess(s: NativeScheme): string | undefined {
  const r = s.referral
  if (!r) return undefined
  const from = r.accepted_from.map((code) => VOCABULARIES.referral_from[code])
  return [`Refer by ${r.methods.map((m) => METHOD_WORDS[m](r)).join(', or ')}.`, `Referrals from: ${from.join(', ')}.`, r.instructions]
    .filter(Boolean).join(' ')
}

function fees(cost: NativeScheme['cost']): string {
  let text = cost.free ? 'Free' : cost.amount_pence != null ? `${pounds(cost.amount_pence)}${cost.per ? ` per ${cost.per}` : ''}` : 'Charges apply'
  if (cost.description) text += `. ${cost.description}`
  if (cost.concessions) text += `. Concessions: ${cost.concessions}`
  return text
}

const pounds = (pence: number) => `£${(pence / 100).toFixed(pence % 100 === 0 ? 0 : 2)}`

/** One cost option in pounds sterling (HSDS 3.0's currency is kept: the UK profile dropped it). */
function costOptions(s: NativeScheme): Json[] {
  const c = s.cost
  const out: Json = { id: orukId('cost', s.id), service_id: s.id }
  if (c.free) {
    out.option = 'Free'
    out.amount = 0
  } else {
    out.option = c.per ? (VOCABULARIES.cost_per as Record<string, string>)[c.per] ?? c.per : 'Charges apply'
    if (c.amount_pence != null) out.amount = c.amount_pence / 100
  }
  out.currency = 'GBP'
  const description = [c.description, c.concessions ? `Concessions: ${c.concessions}` : undefined].filter(Boolean).join('. ')
  if (description) out.amount_description = description
  return [out]
}

function serviceAreas(s: NativeScheme, extent?: string): Json[] {
  const a = s.service_area
  if (!a) return []
  const base = { id: orukId('service_area', s.id), service_id: s.id }
  if (a.type === 'national') return [{ ...base, name: 'United Kingdom', service_area: 'Available anywhere in the United Kingdom.' }]
  // a radius area always has its centre (the write rules require it)
  if (a.type === 'radius' && a.center) {
    const text = `Within ${a.radius_m} m of ${a.center.lat}, ${a.center.lon}`
    return [{ ...base, name: text, service_area: `${text}.`, ...(extent ? { extent, extent_type: 'geojson' } : {}) }]
  }
  return [{ ...base, name: 'Defined area', service_area: 'The area given as GeoJSON in extent.', extent: JSON.stringify(a.geometry), extent_type: 'geojson' }]
}

/** HSDS 3.0 language rows; name and code are kept although the UK profile dropped them. */
function languages(s: NativeScheme): Json[] {
  return s.languages.map((code) => ({ id: orukId('language', s.id, code), service_id: s.id, name: languageName(code), code }))
}

/** HSDS 3.0 service phones (dropped by the UK profile, kept so that the number is not lost). */
function phones(s: NativeScheme): Json {
  const out: Json[] = []
  if (s.contact.phone) out.push({ id: orukId('phone', s.id), service_id: s.id, number: s.contact.phone })
  // RFC 6350's `text`: a number for text messages (SMS)
  if (s.contact.text) out.push({ id: orukId('phone', s.id, 'text'), service_id: s.id, number: s.contact.text, type: 'text' })
  return out.length ? { phones: out } : {}
}

const SERVICE_TAXONOMIES: Array<[TaxonomyVocabulary, (s: NativeScheme) => string[]]> = [
  ['categories', (s) => s.categories],
  ['needs', (s) => s.needs],
  ['audience', (s) => s.audience],
  ['delivery', (s) => s.delivery],
  ['accessibility', (s) => s.accessibility],
  ['group_size', (s) => (s.group_size ? [s.group_size] : [])],
  ['referral_methods', (s) => s.referral?.methods ?? []],
  ['referral_from', (s) => s.referral?.accepted_from ?? []],
]

/** Every code of the scheme as an attribute linking it to a Signpost taxonomy term. */
export function attributes(s: NativeScheme): Json[] {
  return SERVICE_TAXONOMIES.flatMap(([vocabulary, codes]) => codes(s).map((code) => {
    const t = term(vocabulary, code)
    return { id: orukId('attribute', s.id, vocabulary, code), link_id: s.id, taxonomy_term_id: t.id, link_type: vocabulary, taxonomy_term: t }
  }))
}
