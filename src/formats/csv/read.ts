import { parse } from 'csv-parse/sync'
import { HEADER, splitBreaks, splitList, unguardCell, type Column, type CsvRecord } from './template.ts'
import { bool, int, isUuid, num, pence } from '../values.ts'
import type { ImportUnit, Locate, OrganisationInput, Problem, ReadResult, VenueInput } from '../../import/types.ts'

export interface ReadOptions {
  /** --organisation: every record goes to this existing organisation. */
  organisationId?: string
}

interface Row { n: number; r: CsvRecord }

// Where the API's pointers land in the template.
const SCHEME_FIELDS: Array<[RegExp, Column]> = [
  [/^\/name/, 'scheme_name'], [/^\/description/, 'description'], [/^\/status/, 'status'], [/^\/categories/, 'categories'],
  [/^\/needs/, 'needs'], [/^\/audience/, 'audience'], [/^\/delivery/, 'delivery'], [/^\/accessibility/, 'accessibility'],
  [/^\/cost\/free/, 'cost_free'], [/^\/cost\/amount_pence/, 'cost_amount'], [/^\/cost\/per/, 'cost_per'], [/^\/cost\/concessions/, 'cost_concessions'],
  [/^\/cost/, 'cost_description'], [/^\/min_age/, 'min_age'], [/^\/max_age/, 'max_age'], [/^\/self_referral/, 'self_referral'],
  [/^\/accepting_referrals/, 'accepting_referrals'], [/^\/group_size/, 'group_size'], [/^\/languages/, 'languages'],
  [/^\/referral\/methods/, 'referral_methods'], [/^\/referral\/url/, 'referral_url'], [/^\/referral\/email/, 'referral_email'],
  [/^\/referral\/phone/, 'referral_phone'], [/^\/referral\/instructions/, 'referral_instructions'], [/^\/referral/, 'referral_from'],
  [/^\/capacity\/places/, 'capacity_places'], [/^\/capacity\/waiting_weeks/, 'capacity_waiting_weeks'], [/^\/capacity/, 'capacity_status'],
  [/^\/contact\/phone/, 'contact_phone'], [/^\/contact\/email/, 'contact_email'], [/^\/contact\/text/, 'contact_text'], [/^\/contact/, 'contact_website'],
  [/^\/always_open/, 'always_open'], [/^\/by_arrangement/, 'by_arrangement'],
  [/^\/service_area\/center\/lon/, 'service_area_lon'], [/^\/service_area\/center/, 'service_area_lat'], [/^\/service_area\/radius_m/, 'service_area_radius_m'],
  [/^\/service_area\/geometry/, 'service_area_geojson'], [/^\/service_area/, 'service_area'], [/^\/organisation_id/, 'organisation_id'],
  [/^\/breaks/, 'breaks'],
]
const SESSION_FIELDS: Record<string, Column> = {
  venue_id: 'venue_ref', frequency: 'frequency', days: 'days', week_of_month: 'week_of_month', date: 'date', starts: 'starts', ends: 'ends',
  valid_from: 'valid_from', valid_to: 'valid_to', except_dates: 'except_dates', except_bank_holidays: 'except_bank_holidays', notes: 'notes',
}
const VENUE_FIELDS: Array<[RegExp, Column]> = [
  [/^\/name/, 'venue_name'], [/^\/address\/line1/, 'venue_line1'], [/^\/address\/line2/, 'venue_line2'], [/^\/address\/town/, 'venue_town'],
  [/^\/address/, 'venue_postcode'], [/^\/location\/lon/, 'venue_lon'], [/^\/location/, 'venue_lat'], [/^\/accessibility/, 'venue_accessibility'],
]
const ORGANISATION_FIELDS: Array<[RegExp, Column]> = [[/^\/name/, 'organisation_name'], [/.*/, 'organisation_ref']]
const pick = (table: Array<[RegExp, Column]>, pointer: string, fallback: Column) => table.find(([re]) => re.test(pointer))?.[1] ?? fallback

const REFERRAL_COLUMNS: Column[] = ['referral_methods', 'referral_url', 'referral_email', 'referral_phone', 'referral_instructions', 'referral_from']
const CAPACITY_COLUMNS: Column[] = ['capacity_status', 'capacity_places', 'capacity_waiting_weeks']
const SESSION_COLUMNS: Column[] = ['frequency', 'days', 'week_of_month', 'date', 'starts', 'ends', 'valid_from', 'valid_to', 'except_dates',
  'except_bank_holidays', 'notes']
const VENUE_COLUMNS: Column[] = ['venue_name', 'venue_line1', 'venue_line2', 'venue_town', 'venue_postcode', 'venue_lat', 'venue_lon', 'venue_accessibility']

/** The start of the error for a file that is not a CSV in the template. */
export const NOT_TEMPLATE = 'The file is not a Signpost CSV template'

/** The CSV template → one unit per scheme (rows grouped by scheme_id or scheme_ref). */
export function readCsv(text: string, options: ReadOptions = {}): ReadResult {
  const problems: Problem[] = []
  let records: string[][]
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: false })
  } catch (err) {
    // csv-parse's message quotes the file: this may not be a CSV at all, so say only where.
    const line = (err as { lines?: number }).lines
    return { units: [], problems: [{ row: 1, field: '', level: 'error', message: `The file is not CSV that can be read${line ? ` (at line ${line})` : ''}` }] }
  }
  if (records.length === 0) return { units: [], problems: [{ row: 1, field: '', level: 'error', message: 'The file is empty.' }] }
  const header = records[0].map((h) => h.trim().toLowerCase())
  const known = new Set<string>(HEADER)
  const present = new Set(header.filter((h) => known.has(h))) as Set<Column>
  // Not the template's header: perhaps not a CSV export at all (a password file, say), so
  // nothing of it is echoed, not even its unknown "column names".
  if (!present.has('scheme_name') || (!present.has('scheme_ref') && !present.has('scheme_id'))) {
    return { units: [],
      problems: [{ row: 1, field: 'scheme_name', level: 'error',
        message: `${NOT_TEMPLATE}: the header needs scheme_name and scheme_ref (or scheme_id); see docs/import.md` }] }
  }
  header.forEach((h,
    i) => { if (!known.has(h)) problems.push({ row: 1,
      field: h || `column ${i + 1}`, level: 'warning', message: 'is not a template column: ignored (see docs/import.md)' }) })
  const rows: Row[] = records.slice(1).map((cells, i) => {
    const r: CsvRecord = {}
    header.forEach((h, c) => { if (known.has(h)) r[h as Column] = unguardCell(h as Column, (cells[c] ?? '').trim()) })
    if (cells.length > header.length && cells.slice(header.length).some((x) => x.trim() !== '')) {
      problems.push({ row: i + 2, field: '', level: 'warning',
        message: `has ${cells.length} cells but the header has ${header.length}: the extra ones are ignored` })
    }
    return { n: i + 2, r }
  })

  // group rows into schemes, in file order
  const groups = new Map<string, Row[]>()
  for (const row of rows) {
    const org = organisationKey(row.r, options)
    const key = row.r.scheme_id ? `id:${row.r.scheme_id.toLowerCase()}` : row.r.scheme_ref ? `ref:${org ?? ''}:${row.r.scheme_ref}` : `row:${row.n}`
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  const venues = new Map<string, { row: number; signature: string }>()
  const units = [...groups.values()].map((g) => unitOf(g, present, options, venues))
  return { units, problems }
}

function organisationKey(r: CsvRecord, options: ReadOptions): string | undefined {
  if (options.organisationId) return `id:${options.organisationId}`
  if (r.organisation_id) return `id:${r.organisation_id.toLowerCase()}`
  if (r.organisation_ref) return `ref:${r.organisation_ref}`
  return undefined
}

function unitOf(group: Row[], present: Set<Column>, options: ReadOptions, seenVenues: Map<string, { row: number; signature: string }>): ImportUnit {
  const first = group[0]
  const r = first.r
  const problems: Problem[] = []
  const error = (row: number, field: string, message: string) => problems.push({ row, field, level: 'error', message })
  const has = (c: Column) => present.has(c)
  const rowsLabel = group.length === 1 ? `row ${first.n}` : `rows ${group.map((x) => x.n).join(', ')}`

  // organisation
  let organisation: OrganisationInput
  const orgKey = organisationKey(r, options) ?? ''
  if (options.organisationId) organisation = { kind: 'id', id: options.organisationId, row: first.n, field: 'organisation_id' }
  else if (r.organisation_id) {
    if (!isUuid(r.organisation_id)) error(first.n, 'organisation_id', 'must be a UUID')
    organisation = { kind: 'id', id: r.organisation_id.toLowerCase(), row: first.n, field: 'organisation_id' }
  } else {
    if (!r.organisation_ref) error(first.n, 'organisation_ref',
      'is required: give organisation_id (an existing organisation) or organisation_ref and organisation_name, or run with --organisation')
    const doc: Record<string, unknown> = { name: r.organisation_name ?? '' }
    organisation = { kind: 'ref', ref: r.organisation_ref ?? '', doc, row: first.n,
      locate: (p) => ({ row: first.n, field: pick(ORGANISATION_FIELDS, p, 'organisation_name') }) }
  }

  // scheme fields from the first row; a column the file does not have is left as it is
  if (!r.scheme_id && !r.scheme_ref) error(first.n, 'scheme_ref',
    'is required: it names the scheme, so that importing again updates it instead of adding another')
  if (r.scheme_id && !isUuid(r.scheme_id)) error(first.n, 'scheme_id', 'must be a UUID (a Signpost scheme id); use scheme_ref for your own ids')
  const doc: Record<string, any> = {}
  const text = (c: Column, field: string) => { if (has(c)) { if (r[c]) doc[field] = r[c]; else if (field !== 'name') doc[field] = undefined } }
  const list = (c: Column, field: string) => { if (has(c)) doc[field] = splitList(r[c] ?? '') }
  if (has('scheme_name')) doc.name = r.scheme_name ?? ''
  text('description', 'description')
  if (has('status')) doc.status = r.status || 'active'
  list('categories', 'categories'); list('needs', 'needs'); list('audience', 'audience'); list('accessibility', 'accessibility')
  if (has('delivery')) doc.delivery = r.delivery ? splitList(r.delivery) : ['in_person']
  if (has('languages')) doc.languages = r.languages ? splitList(r.languages) : ['en']
  if (has('min_age')) doc.min_age = r.min_age ? int(r.min_age) : undefined
  if (has('max_age')) doc.max_age = r.max_age ? int(r.max_age) : undefined
  if (has('self_referral')) doc.self_referral = r.self_referral ? bool(r.self_referral) : false
  if (has('accepting_referrals')) doc.accepting_referrals = r.accepting_referrals ? bool(r.accepting_referrals) : true
  if (has('always_open')) doc.always_open = r.always_open ? bool(r.always_open) : false
  if (has('by_arrangement')) doc.by_arrangement = r.by_arrangement ? bool(r.by_arrangement) : false
  text('group_size', 'group_size')
  if (['cost_free', 'cost_amount', 'cost_per', 'cost_concessions', 'cost_description'].some((c) => has(c as Column))) {
    const free = r.cost_free ? bool(r.cost_free) : !(r.cost_amount || r.cost_per)
    const cost: Record<string, unknown> = { free }
    if (r.cost_amount) {
      const p = pence(r.cost_amount)
      if (p === undefined) error(first.n, 'cost_amount', 'must be an amount in pounds, e.g. 3.50')
      else cost.amount_pence = p
    }
    if (r.cost_per) cost.per = r.cost_per
    if (r.cost_concessions) cost.concessions = r.cost_concessions
    if (r.cost_description) cost.description = r.cost_description
    doc.cost = cost
  }
  // a referral from its columns when any is filled; all empty: none (capacity_updated_at is the server's, never read)
  if (REFERRAL_COLUMNS.some(has)) {
    if (REFERRAL_COLUMNS.some((c) => r[c])) {
      doc.referral = { methods: splitList(r.referral_methods ?? ''), accepted_from: splitList(r.referral_from ?? '') }
      for (const [c, field] of [['referral_url', 'url'], ['referral_email', 'email'], ['referral_phone', 'phone'], ['referral_instructions', 'instructions']] as const) {
        if (r[c]) doc.referral[field] = r[c]
      }
    } else doc.referral = undefined
  }
  if (CAPACITY_COLUMNS.some(has)) {
    if (r.capacity_status) {
      doc.capacity = { status: r.capacity_status }
      if (r.capacity_places) doc.capacity.places = int(r.capacity_places)
      if (r.capacity_waiting_weeks) doc.capacity.waiting_weeks = int(r.capacity_waiting_weeks)
    } else if (r.capacity_places || r.capacity_waiting_weeks) {
      error(first.n, 'capacity_status', 'is required with capacity_places or capacity_waiting_weeks: places_available, waiting_list or full')
    } else doc.capacity = undefined
  }
  if (['contact_phone', 'contact_email', 'contact_website', 'contact_text'].some((c) => has(c as Column))) {
    doc.contact = Object.fromEntries([['phone', r.contact_phone], ['email', r.contact_email], ['website', r.contact_website], ['text', r.contact_text]]
      .filter(([, v]) => v))
  }
  if (has('service_area')) {
    const type = (r.service_area ?? '').toLowerCase()
    if (type === 'national') doc.service_area = { type }
    else if (type === 'radius') {
      doc.service_area = { type, center: { lat: num(r.service_area_lat ?? ''), lon: num(r.service_area_lon ?? '') },
        radius_m: int(r.service_area_radius_m ?? '') }
    } else if (type === 'polygon') {
      try {
        const g = JSON.parse(r.service_area_geojson ?? '')
        doc.service_area = { type, geometry: g?.type === 'Feature' ? g.geometry : g }
      } catch {
        error(first.n, 'service_area_geojson', 'must be a GeoJSON Polygon or MultiPolygon')
      }
    } else if (type) error(first.n, 'service_area', 'must be national, radius or polygon')
    else doc.service_area = undefined
  }
  if (has('breaks')) {
    const breaks = splitBreaks(r.breaks ?? '')
    for (const b of breaks) if (typeof b === 'string') error(first.n, 'breaks', `"${b}" is not from/to dates and a reason, e.g. 2026-08-01/2026-08-31 summer break`)
    doc.breaks = breaks.length ? breaks : undefined
  }

  // venues and sessions, one session per row
  const venues = new Map<string, VenueInput>()
  const sessionRows: number[] = []
  const venueRows = new Map<string, number>()
  if (has('frequency')) {
    doc.sessions = []
    for (const { n, r: row } of group) {
      const sessionFilled = SESSION_COLUMNS.some((c) => row[c])
      if (!row.frequency) {
        if (sessionFilled || group.length > 1) error(n, 'frequency', 'is required on every row of a scheme with sessions (one row per session)')
        continue
      }
      const venue = venueOf(row, n, orgKey, error, seenVenues, problems)
      if (venue) {
        if (!venues.has(venue.key)) venues.set(venue.key, venue)
        venueRows.set(venue.key, venueRows.get(venue.key) ?? n)
      }
      const s: Record<string, unknown> = { venue_id: venue ? venue.key : null, frequency: row.frequency }
      if (row.days) s.days = splitList(row.days)
      if (row.week_of_month) s.week_of_month = int(row.week_of_month)
      for (const c of ['date', 'starts', 'ends', 'valid_from', 'valid_to', 'notes'] as const) if (row[c]) s[c] = row[c]
      if (row.except_dates) s.except_dates = splitList(row.except_dates)
      if (row.except_bank_holidays) s.except_bank_holidays = bool(row.except_bank_holidays)
      doc.sessions.push(s)
      sessionRows.push(n)
    }
  }

  const locate: Locate = (pointer) => {
    const m = /^\/sessions\/(\d+)(?:\/([^/]+))?/.exec(pointer)
    if (m) {
      const n = sessionRows[Number(m[1])] ?? first.n
      const field = m[2] ? SESSION_FIELDS[m[2]] ?? m[2] : 'frequency'
      return { row: n, field: field === 'venue_ref' && group.find((x) => x.n === n)?.r.venue_id ? 'venue_id' : field }
    }
    return { row: first.n, field: pick(SCHEME_FIELDS, pointer, 'scheme_name') }
  }
  for (const v of venues.values()) {
    const n = venueRows.get(v.key) ?? first.n
    v.locate = (p) => ({ row: n, field: pick(VENUE_FIELDS, p, 'venue_ref') })
  }
  return {
    label: rowsLabel,
    organisation: organisation!,
    venues: [...venues.values()],
    scheme: { id: r.scheme_id ? r.scheme_id.toLowerCase() : undefined, ref: r.scheme_id ? undefined : r.scheme_ref, doc, locate },
    problems,
    fatal: problems.some((p) => p.level === 'error'),
  }
}

/** The venue a row names: by venue_id (an existing venue, updated when its columns are filled) or venue_ref. */
function venueOf(r: CsvRecord, n: number, orgKey: string, error: (n: number, f: string, m: string) => void,
  seen: Map<string, { row: number; signature: string }>, problems: Problem[]): VenueInput | undefined {
  const filled = VENUE_COLUMNS.some((c) => r[c])
  if (!r.venue_id && !r.venue_ref) {
    if (filled) error(n, 'venue_ref', 'is required to name a venue (so that importing again finds it); leave every venue column empty for a remote session')
    return undefined
  }
  if (r.venue_id && !isUuid(r.venue_id)) {
    error(n, 'venue_id', 'must be a UUID (a Signpost venue id); use venue_ref for your own ids')
    return undefined
  }
  const key = r.venue_id ? `id:${r.venue_id.toLowerCase()}` : `ref:${orgKey}:${r.venue_ref}`
  let doc: Record<string, unknown> | undefined
  if (filled) {
    const address: Record<string, unknown> = { line1: r.venue_line1 ?? '', town: r.venue_town ?? '', postcode: r.venue_postcode ?? '' }
    if (r.venue_line2) address.line2 = r.venue_line2
    doc = { name: r.venue_name ?? '', address, accessibility: splitList(r.venue_accessibility ?? '') }
    if (r.venue_lat || r.venue_lon) doc.location = { lat: num(r.venue_lat ?? ''), lon: num(r.venue_lon ?? '') }
    const signature = JSON.stringify(doc)
    const before = seen.get(key)
    if (!before) seen.set(key, { row: n, signature })
    else if (before.signature !== signature) {
      problems.push({ row: n, field: 'venue_ref', level: 'warning',
        message: `this venue's columns differ from row ${before.row}: row ${before.row}'s are used` })
      doc = JSON.parse(before.signature)
    }
  }
  // a venue_ref without venue columns names a venue imported before
  return { key, id: r.venue_id ? r.venue_id.toLowerCase() : undefined, ref: r.venue_id ? undefined : r.venue_ref, doc,
    locate: () => ({ row: n, field: 'venue_ref' }) }
}
