import { VOCABULARIES } from '../../domain/vocabularies.ts'
import { isUkPhone, mergeProblems, nulProblems, shapeProblems, venueRuleProblems } from '../../domain/scheme-rules.ts'
import { findTerm, TAXONOMY_NAMES, TAXONOMY_VOCABULARIES, type TaxonomyVocabulary } from './taxonomies.ts'
import { dayFromHsds, dayToHsds, weekdayOf as weekdayCodeOf } from './schedules.ts'
import { isEmail, isUri } from './text.ts'
import { languageCode } from '../languages.ts'
import { time } from '../values.ts'
import type { ReadOptions } from '../csv/read.ts'
import type { ImportUnit, Locate, OrganisationInput, Problem, ReadResult, VenueInput } from '../../import/types.ts'

type Doc = Record<string, any>
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined)
const DATE = /^\d{4}-\d{2}-\d{2}/

/**
 * Open Referral UK / HSDS 3.0 JSON → one unit per service. Takes a page ({contents}), an
 * array, or one record; a record is a service, a service_at_location ({service, location})
 * or an organization with its services. Records of the same service are merged.
 */
export function readOruk(data: unknown, options: ReadOptions = {}): ReadResult {
  const problems: Problem[] = []
  const items: unknown[] = isObject(data) && Array.isArray(data.contents) ? data.contents : Array.isArray(data) ? data : [data]
  const services = new Map<string, Doc>()
  const order: Doc[] = []
  const add = (s: Doc) => {
    const id = str(s.id)
    const before = id ? services.get(id) : undefined
    if (!before) {
      const copy = { ...s }
      if (id) services.set(id, copy)
      order.push(copy)
      return
    }
    // the same service again (a list of service_at_locations): its locations and schedules join the first
    for (const k of ['service_at_locations', 'schedules'] as const) {
      if (!Array.isArray(s[k])) continue
      const have = new Set((before[k] ?? []).map((x: Doc) => x?.id))
      before[k] = [...(before[k] ?? []), ...s[k].filter((x: Doc) => !have.has(x?.id))]
    }
  }
  items.forEach((item, i) => {
    if (!isObject(item)) return problems.push({ row: `record ${i + 1}`, field: '', level: 'error', message: 'is not a JSON object' })
    if (Array.isArray(item.services)) {
      const { services: list, ...organization } = item
      for (const s of list) if (isObject(s)) add({ organization, ...s })
    } else if (isObject(item.service) && isObject(item.location)) {
      add({ ...item.service, service_at_locations: [{ id: item.id, location: item.location }] })
    } else if (typeof item.name === 'string') add(item)
    else problems.push({ row: `record ${i + 1}`, field: '', level: 'error', message: 'is not a service, a service_at_location or an organization with services' })
  })
  return { units: order.map((s, i) => unitOf(s, i, options)), problems }
}

const SESSION_FIELD: Record<string, string> = {
  venue_id: 'service_at_location_id', frequency: 'freq', days: 'byday', week_of_month: 'byday', date: 'valid_from', starts: 'opens_at',
  ends: 'closes_at', valid_from: 'valid_from', valid_to: 'valid_to', except_dates: 'description', notes: 'notes',
}
const SCHEME_FIELD: Array<[RegExp, string]> = [
  [/^\/name/, 'name'], [/^\/description/, 'description'], [/^\/status/, 'status'], [/^\/min_age/, 'minimum_age'], [/^\/max_age/, 'maximum_age'],
  [/^\/contact\/phone/, 'phones'], [/^\/contact\/email/, 'email'], [/^\/contact/, 'url'], [/^\/cost/, 'cost_options'], [/^\/service_area/, 'service_areas'],
  [/^\/languages/, 'languages'], [/^\/(categories|needs|audience|delivery|accessibility|group_size)/, 'attributes'], [/^\/organisation_id/, 'organization'],
]
const VENUE_FIELD: Array<[RegExp, string]> = [
  [/^\/name/, 'name'], [/^\/address\/line1/, 'addresses/0/address_1'], [/^\/address\/line2/, 'addresses/0/address_2'], [/^\/address\/town/, 'addresses/0/city'],
  [/^\/address/, 'addresses/0/postal_code'], [/^\/location\/lon/, 'longitude'], [/^\/location/, 'latitude'], [/^\/accessibility/, 'accessibility'],
]
const ORGANISATION_FIELD: Array<[RegExp, string]> = [
  [/^\/name/, 'organization/name'], [/^\/email/, 'organization/email'], [/^\/website/, 'organization/website'], [/^\/charity_number/, 'organization/organization_identifiers'],
  [/^\/description/, 'organization/description'], [/.*/, 'organization'],
]
const pick = (table: Array<[RegExp, string]>, pointer: string, fallback: string) => table.find(([re]) => re.test(pointer))?.[1] ?? fallback

function unitOf(s: Doc, index: number, options: ReadOptions): ImportUnit {
  const row = `service ${index + 1}${str(s.id) ? ` (${s.id})` : ''}`
  const problems: Problem[] = []
  let fatal = false
  const error = (field: string, message: string) => { problems.push({ row, field, level: 'error', message }); fatal = true }
  const warn = (field: string, message: string) => problems.push({ row, field, level: 'warning', message })

  // organisation
  let organisation: OrganisationInput
  const o = isObject(s.organization) ? s.organization : undefined
  if (options.organisationId) organisation = { kind: 'id', id: options.organisationId, row, field: 'organization' }
  else {
    if (!o || !str(o.id) || !str(o.name)) error('organization', 'is required, with its id and name, or run with --organisation')
    organisation = { kind: 'ref', ref: str(o?.id) ?? '', doc: organisationDoc(o ?? {}, warn), row,
      locate: (p) => ({ row, field: pick(ORGANISATION_FIELD, p, 'organization') }) }
  }
  const orgKey = options.organisationId ? `id:${options.organisationId}` : `ref:${str(o?.id) ?? ''}`
  if (!str(s.id)) error('id', 'is required: it names the service, so that importing again updates it')

  const doc: Doc = { name: typeof s.name === 'string' ? s.name : '' }
  if ('description' in s) doc.description = clip(str(s.description) ?? '', 5000, 'description', warn)
  if ('status' in s) doc.status = ({ active: 'active', inactive: 'paused', 'temporarily closed': 'paused',
    defunct: 'ended' } as Doc)[s.status] ?? (warn('status', `${JSON.stringify(s.status)} is not an HSDS status: active is used`), 'active')
  for (const [from, to] of [['minimum_age', 'min_age'], ['maximum_age', 'max_age']] as const) {
    if (s[from] === undefined || s[from] === null) continue
    doc[to] = typeof s[from] === 'number' && !Number.isInteger(s[from]) ? Math.round(s[from]) : s[from]
  }
  if (['url', 'email', 'phones', 'contacts'].some((k) => k in s)) doc.contact = contactOf(s, warn)
  // fees alone (a list item has no cost_options) describe a new scheme's cost, but do not overwrite one
  const createOnly: Doc = {}
  if ('cost_options' in s) doc.cost = costOf(s, warn)
  else if ('fees' in s) createOnly.cost = costOf(s, warn)
  if (Array.isArray(s.languages)) {
    const codes = s.languages.map((l: Doc, i: number) => {
      const code = languageCode(l?.code) ?? languageCode(l?.name)
      if (!code) warn(`languages/${i}`, 'is not an ISO 639-1 language (or British Sign Language): not kept')
      return code
    }).filter(Boolean)
    if (codes.length) doc.languages = [...new Set(codes)]
  }
  let deliveryTerms: string[] = []
  if (Array.isArray(s.attributes)) {
    const terms = termsOf(s.attributes, 'attributes', warn)
    for (const v of ['categories', 'needs', 'audience', 'accessibility'] as const) doc[v] = terms[v]
    if (terms.group_size.length) doc.group_size = terms.group_size[0]
    deliveryTerms = terms.delivery
    if (terms.referral_methods.length || terms.referral_from.length) {
      warn('attributes', 'Signpost referral terms are not kept: a referral needs its form address, e-mail or phone, which ORUK 3.0 has no field for')
    }
  }
  if (Array.isArray(s.service_areas)) {
    const area = serviceAreaOf(s.service_areas, warn)
    if (area) doc.service_area = area
  }

  // locations: each valid one becomes a venue; one that is not is reported and left out
  const venues: VenueInput[] = []
  const salVenue = new Map<string, string | null>()
  const sals: Doc[] = Array.isArray(s.service_at_locations) ? s.service_at_locations : []
  sals.forEach((sal, j) => {
    const v = isObject(sal) && isObject(sal.location) ? venueOf(sal.location, `service_at_locations/${j}/location`, orgKey, row, problems) : undefined
    if (isObject(sal) && str(sal.id)) salVenue.set(sal.id, v?.key ?? null)
    if (v && !venues.some((x) => x.key === v.key)) venues.push(v)
    if (!isObject(sal?.location)) warn(`service_at_locations/${j}`, 'has no location: not kept')
  })
  const delivery = [...new Set([...(venues.length ? ['in_person'] : []), ...deliveryTerms])]
  if (deliveryTerms.length || venues.length) doc.delivery = delivery.length ? delivery : ['in_person']
  const remote = delivery.some((d) => d !== 'in_person')

  // schedules → sessions
  const sessionSource: number[] = []
  if (Array.isArray(s.schedules)) {
    doc.sessions = []
    const only = sals.length === 1 ? (venues[0]?.key ?? null) : undefined
    s.schedules.forEach((sch: Doc, i: number) => {
      const at = `schedules/${i}`
      if (!isObject(sch)) return warn(at, 'is not an object: not kept')
      let venue: string | null | undefined
      if (str(sch.service_at_location_id)) {
        venue = salVenue.get(sch.service_at_location_id)
        if (venue === undefined) return warn(`${at}/service_at_location_id`, 'names no service_at_location of this service: not kept')
      } else if (only !== undefined) venue = only
      else venue = remote ? null : undefined
      if (venue === null && !remote) return warn(at, 'is at a location that was not loaded: not kept')
      if (venue === undefined) return warn(at, 'names no location, and the service is not delivered remotely: not kept')
      for (const session of sessionsOf(sch, at, warn)) {
        doc.sessions.push({ ...session, venue_id: venue })
        sessionSource.push(i)
      }
    })
  }

  const locate: Locate = (pointer) => {
    const m = /^\/sessions\/(\d+)(?:\/([^/]+))?/.exec(pointer)
    if (m) return { row, field: `schedules/${sessionSource[Number(m[1])] ?? 0}${m[2] ? `/${SESSION_FIELD[m[2]] ?? m[2]}` : ''}` }
    return { row, field: pick(SCHEME_FIELD, pointer, 'id') }
  }
  return { label: row, organisation: organisation!, venues, scheme: { ref: str(s.id), doc, createOnly, locate }, problems, fatal }
}

function clip(text: string, max: number, field: string, warn: (f: string, m: string) => void): string {
  if (text.length <= max) return text
  warn(field, `is longer than ${max} characters: cut short`)
  return text.slice(0, max)
}

function organisationDoc(o: Doc, warn: (f: string, m: string) => void): Doc {
  const d: Doc = { name: str(o.name) ?? '' }
  if (str(o.description)) d.description = clip(o.description.trim(), 5000, 'organization/description', warn)
  if (str(o.email)) isEmail(o.email.trim()) ? (d.email = o.email.trim()) : warn('organization/email', 'is not an e-mail address: not kept')
  if (str(o.website)) isUri(o.website.trim()) ? (d.website = o.website.trim()) : warn('organization/website', 'is not an http(s) address: not kept')
  const ids: Doc[] = Array.isArray(o.organization_identifiers) ? o.organization_identifiers : []
  const charity = ids.find((x) => /^GB-(CHC|SC|NIC)$/i.test(x?.identifier_scheme ?? '') || /charit/i.test(x?.identifier_type ?? ''))
  if (str(charity?.identifier)) d.charity_number = charity!.identifier.trim()
  return d
}

function contactOf(s: Doc, warn: (f: string, m: string) => void): Doc {
  const c: Doc = {}
  if (str(s.url)) isUri(s.url.trim()) ? (c.website = s.url.trim()) : warn('url', 'is not an http(s) address: not kept')
  if (str(s.email)) isEmail(s.email.trim()) ? (c.email = s.email.trim()) : warn('email', 'is not an e-mail address: not kept')
  const numbers: string[] = [...(Array.isArray(s.phones) ? s.phones : []),
    ...(Array.isArray(s.contacts) ? s.contacts.flatMap((x: Doc) => (Array.isArray(x?.phones) ? x.phones : [])) : [])]
    .map((p: Doc) => str(p?.number)).filter((x): x is string => Boolean(x))
  const phone = numbers.find(isUkPhone)
  if (phone) c.phone = phone
  else if (numbers.length) warn('phones', 'has no UK phone number: not kept')
  return c
}

const PER: Array<[RegExp, string]> = [[/hour|session|class|visit|meeting/i, 'session'], [/week/i, 'week'], [/month/i, 'month'], [/course|term/i, 'course'], [/year|annual/i, 'year']]

/** cost_options in pounds (and fees) → cost: the lowest price, every option in words. */
function costOf(s: Doc, warn: (f: string, m: string) => void): Doc {
  const options: Doc[] = Array.isArray(s.cost_options) ? s.cost_options.filter(isObject) : []
  const fees = str(s.fees)
  const priced = options.filter((o, i) => {
    if (typeof o.amount !== 'number' || o.amount < 0) return false
    if (o.currency && o.currency !== 'GBP') { warn(`cost_options/${i}/currency`, `is ${o.currency}, not GBP: its amount is not kept`); return false }
    return true
  })
  const words = options.map((o) => [str(o.option),
    typeof o.amount === 'number' ? `£${o.amount.toFixed(2).replace(/\.00$/, '')}` : undefined, str(o.amount_description)].filter(Boolean).join(' ')).filter(Boolean)
  const description = [...words, ...(fees && !/^free$/i.test(fees) ? [fees] : [])].join('; ')
  const cost: Doc = {}
  const paid = priced.filter((o) => o.amount > 0).sort((a, b) => a.amount - b.amount)
  if (paid.length) {
    cost.free = false
    cost.amount_pence = Math.round(paid[0].amount * 100)
    const per = PER.find(([re]) => re.test(`${paid[0].amount_description ?? ''} ${paid[0].option ?? ''}`))
    if (per) cost.per = per[1]
  } else if (priced.length || (fees && /^free$/i.test(fees)) || (!options.length && !fees)) cost.free = true
  else cost.free = false
  if (description) cost.description = clip(description, 500, 'cost_options', warn)
  return cost
}

/** Attributes whose taxonomy_term is a Signpost term (by id, or by code or label), by vocabulary. */
function termsOf(attributes: Doc[], at: string, warn: (f: string, m: string) => void): Record<TaxonomyVocabulary, string[]> {
  const out = Object.fromEntries(TAXONOMY_NAMES.map((v) => [v, [] as string[]])) as Record<TaxonomyVocabulary, string[]>
  attributes.forEach((a, i) => {
    const found = signpostTerm(a)
    if (!found) return warn(`${at}/${i}`, `taxonomy term ${JSON.stringify(a?.taxonomy_term?.name ?? a?.taxonomy_term?.term ?? a?.taxonomy_term_id ?? '')} is not a Signpost term: not kept`)
    if (!out[found.vocabulary].includes(found.code)) out[found.vocabulary].push(found.code)
  })
  return out
}

export function signpostTerm(a: Doc, only?: TaxonomyVocabulary): { vocabulary: TaxonomyVocabulary; code: string } | undefined {
  const t: Doc = isObject(a?.taxonomy_term) ? a.taxonomy_term : {}
  const byId = findTerm(String(t.id ?? a?.taxonomy_term_id ?? ''))
  if (byId && (!only || byId.vocabulary === only)) return byId
  const hint = TAXONOMY_NAMES.find((v) => v === a?.link_type || TAXONOMY_VOCABULARIES[v].name === t.taxonomy)
  const vocabularies = only ? [only] : hint ? [hint, ...TAXONOMY_NAMES.filter((v) => v !== hint)] : TAXONOMY_NAMES
  for (const text of [t.term, t.code, t.name].map(str).filter(Boolean) as string[]) {
    for (const v of vocabularies) {
      const labels = VOCABULARIES[v] as Record<string, string>
      const code = Object.keys(labels).find((c) => c === text.toLowerCase() || labels[c].toLowerCase() === text.toLowerCase())
      if (code) return { vocabulary: v, code }
    }
  }
  return undefined
}

const NATIONAL = /^(national|nationwide|united kingdom|uk|great britain|england, scotland, wales and northern ireland)\.?$/i

function serviceAreaOf(areas: Doc[], warn: (f: string, m: string) => void): Doc | undefined {
  for (const [i, a] of areas.entries()) {
    if (!isObject(a)) continue
    if (/geojson/i.test(a.extent_type ?? '') && str(a.extent)) {
      try {
        let g = JSON.parse(a.extent)
        if (g?.type === 'Feature') g = g.geometry
        if (g?.type === 'FeatureCollection' && g.features?.length === 1) g = g.features[0].geometry
        if (g?.type === 'Polygon' || g?.type === 'MultiPolygon') return { type: 'polygon', geometry: { type: g.type, coordinates: g.coordinates } }
      } catch { /* reported below */ }
    }
    if (NATIONAL.test(str(a.name) ?? '') || NATIONAL.test(str(a.service_area) ?? '')) return { type: 'national' }
    warn(`service_areas/${i}`, 'is not a GeoJSON polygon nor the whole UK: not kept')
  }
  return undefined
}

/** A location → a venue, or undefined (reported) when it cannot be loaded. */
function venueOf(loc: Doc, at: string, orgKey: string, row: string, problems: Problem[]): VenueInput | undefined {
  const fail = (field: string,
    message: string) => { problems.push({ row,
      field: `${at}${field ? `/${field}` : ''}`, level: 'error', message: `${message} (this location is not loaded)` }); return undefined }
  if (loc.location_type && loc.location_type !== 'physical') return fail('location_type', `is ${loc.location_type}: only physical locations are venues`)
  if (!str(loc.id)) return fail('id', 'is required: it names the location, so that importing again updates it')
  const addresses: Doc[] = Array.isArray(loc.addresses) ? loc.addresses.filter(isObject) : []
  const address = addresses.find((x) => x.address_type === 'physical') ?? addresses[0]
  if (!address) return fail('addresses', 'is required: a venue needs its address and postcode')
  const accessibility: string[] = []
  ;(Array.isArray(loc.accessibility) ? loc.accessibility : []).forEach((x: Doc, i: number) => {
    const term = (Array.isArray(x?.attributes) ? x.attributes : []).map((a: Doc) => signpostTerm(a, 'accessibility')).find(Boolean)
      ?? signpostTerm({ taxonomy_term: { name: x?.description ?? x?.accessibility } }, 'accessibility')
    if (term) { if (!accessibility.includes(term.code)) accessibility.push(term.code) }
    else problems.push({ row, field: `${at}/accessibility/${i}`, level: 'warning', message: 'is not a Signpost accessibility term: not kept' })
  })
  const doc: Doc = {
    name: str(loc.name) ?? str(address.address_1) ?? '',
    address: { line1: str(address.address_1) ?? '', town: str(address.city) ?? '', postcode: str(address.postal_code) ?? '',
      ...(str(address.address_2) ? { line2: address.address_2.trim() } : {}) },
    accessibility,
  }
  if (loc.latitude !== undefined || loc.longitude !== undefined) doc.location = { lat: loc.latitude, lon: loc.longitude }
  const locate: Locate = (p) => ({ row, field: `${at}/${pick(VENUE_FIELD, p, 'id')}` })
  const bad = mergeProblems(shapeProblems('VenueWrite', doc), venueRuleProblems(doc), nulProblems(doc))
  if (bad.length) {
    for (const b of bad) problems.push({ ...locate(b.pointer ?? ''), level: 'error', message: `${b.message} (this location is not loaded)` })
    return undefined
  }
  return { key: `ref:${orgKey}:${loc.id}`, ref: loc.id, doc, locate }
}

/** One HSDS schedule → Signpost sessions (a MONTHLY byday with several ordinals gives one per ordinal). */
function sessionsOf(sch: Doc, at: string, warn: (f: string, m: string) => void): Doc[] {
  const starts = time(String(sch.opens_at ?? ''))
  const ends = time(String(sch.closes_at ?? ''))
  if (!starts || !ends) { warn(at, 'has no opens_at and closes_at (HH:MM): not kept'); return [] }
  const date = (v: unknown) => (typeof v === 'string' && DATE.test(v) ? v.slice(0, 10) : undefined)
  const from = date(sch.valid_from)
  const to = date(sch.valid_to)
  const dtstart = date(sch.dtstart)
  const freq = String(sch.freq ?? '').toUpperCase()
  const parts = String(sch.byday ?? '').split(',').map((p) => p.trim().toUpperCase()).filter(Boolean)
  const base: Doc = { starts, ends }
  // HSDS's description is free text about the schedule; Signpost's own feed writes one
  // from the rule itself ("… (UK time).") that is not worth keeping as notes
  const described = str(sch.description)
  const notes = str(sch.notes) ?? (described && !described.includes('(UK time).') ? described : undefined)
  if (notes) base.notes = notes.length > 500 ? notes.slice(0, 500) : notes
  const weekdayOf = (d: string) => dayToHsds(weekdayCodeOf(d))
  // one date: valid_from = valid_to, with no weekly rule that contradicts it
  if (from && from === to && (!freq || parts.length === 0 || (parts.length === 1 && parts[0] === weekdayOf(from)))) {
    return [{ ...base, frequency: 'once', date: from }]
  }
  const valid: Doc = { ...(from ? { valid_from: from } : {}), ...(to ? { valid_to: to } : {}) }
  const interval = sch.interval === undefined || sch.interval === null || sch.interval === '' ? 1 : Number(sch.interval)
  if (freq === 'WEEKLY') {
    const days = parts.map((p) => dayFromHsds(p))
    if (days.length === 0 || days.some((d) => !d)) { warn(`${at}/byday`, 'must list weekdays (MO…SU) for a WEEKLY schedule: not kept'); return [] }
    if (interval === 1) return [{ ...base, frequency: 'weekly', days, ...valid }]
    if (interval === 2) {
      const anchor = dtstart ?? from
      if (!anchor) { warn(`${at}/dtstart`, 'is needed for a fortnightly (interval 2) schedule: not kept'); return [] }
      return [{ ...base, frequency: 'fortnightly', days, ...valid, valid_from: anchor }]
    }
    warn(`${at}/interval`, `every ${interval} weeks cannot be kept: Signpost has weekly and fortnightly`)
    return []
  }
  if (freq === 'MONTHLY') {
    if (interval !== 1) { warn(`${at}/interval`, 'only every month (interval 1) can be kept'); return [] }
    const byOrdinal = new Map<number, string[]>()
    for (const p of parts) {
      const m = /^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$/.exec(p)
      const n = m ? Number(m[1]) : NaN
      if (!m || !(n === -1 || (n >= 1 && n <= 5))) { warn(`${at}/byday`, `${p} cannot be kept: monthly schedules need 1MO…5SU or -1MO…-1SU`); return [] }
      byOrdinal.set(n, [...(byOrdinal.get(n) ?? []), dayFromHsds(m[2])!])
    }
    if (byOrdinal.size === 0) { warn(`${at}/byday`, 'a MONTHLY schedule needs byday such as 2TU (bymonthday cannot be kept)'); return [] }
    return [...byOrdinal].map(([n, days]) => ({ ...base, frequency: 'monthly', days, week_of_month: n, ...valid }))
  }
  warn(`${at}/freq`, 'must be WEEKLY or MONTHLY (or valid_from = valid_to for one date): not kept')
  return []
}

