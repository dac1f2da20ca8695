import Type, { type Static } from 'typebox'
import { NOT_BLANK } from './common.ts'
import { Email, Name, Phone, READ_ONLY_FIELDS, Text, Timestamp, Uuid, Version, WebUrl } from './organisation.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

export const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$'
const Time = (description = 'Local UK wall-clock time, HH:MM, 24-hour') => Type.String({ pattern: TIME_PATTERN, description, examples: ['18:30'] })
// From 1900-01-01 to 2999-12-31 (DATE_RANGE), so that PostgreSQL's date type always accepts
// it: OpenAPI 3.1 has no keyword for a date's bounds, so src/domain/scheme-rules.ts checks them.
export const DATE_RANGE = { min: '1900-01-01', max: '2999-12-31' } as const
// No example date: one fixed in the document would soon be in the past.
const DateString = (description = 'YYYY-MM-DD') =>
  Type.String({ format: 'date', description: `${description}; from ${DATE_RANGE.min} to ${DATE_RANGE.max}` })
const WeekOfMonth = Type.Unsafe<number>({ type: 'integer', enum: [1, 2, 3, 4, 5, -1],
  description: 'Monthly sessions only: the 1st–5th listed weekday of the month, or -1 for the last' })
const codes = (ref: string, description?: string, options: Record<string, unknown> = {}) => Type.Array(Type.Ref(ref),
  { uniqueItems: true, maxItems: 50, description, ...options })

export const SessionWriteSchema = Type.Object({
  venue_id: Type.Optional(Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'uuid', maxLength: 36,
    description: 'A venue of the scheme\'s organisation; null or absent for a remote session (online, telephone, home visit)' })),
  frequency: Type.Ref('Frequency'),
  days: Type.Optional(codes('DayCode', 'Weekdays it runs on: required for weekly, fortnightly and monthly sessions, absent for once')),
  week_of_month: Type.Optional(WeekOfMonth),
  date: Type.Optional(DateString('Once sessions only: the date it runs')),
  starts: Time(),
  ends: Time('HH:MM, after starts; earlier than starts means the next morning (a session past midnight), allowed up to 06:00'),
  valid_from: Type.Optional(DateString('First date it may run; required for fortnightly sessions, whose weeks count from the Monday of this date\'s week')),
  valid_to: Type.Optional(DateString('Last date it may run (inclusive)')),
  except_dates: Type.Optional(Type.Array(DateString(), { uniqueItems: true, maxItems: 366, description: 'Dates it does not run, e.g. 2026-12-24' })),
  except_bank_holidays: Type.Optional(Type.Boolean({ description: 'Default false. True: it does not run on the bank holidays of its venue\'s ' +
    'nation (England and Wales, Scotland or Northern Ireland, from the venue\'s postcode); a remote session keeps those of England and Wales' })),
  notes: Type.Optional(Text()),
}, {
  $id: 'SessionWrite',
  additionalProperties: false,
  examples: [
    { venue_id: DEMO_EXAMPLES.venueId, frequency: 'weekly', days: ['tue', 'thu'], starts: '18:00', ends: '19:30', except_bank_holidays: true },
    { venue_id: DEMO_EXAMPLES.venueId, frequency: 'monthly', days: ['wed'], week_of_month: -1, starts: '14:00', ends: '16:00' },
    { venue_id: null, frequency: 'weekly', days: ['fri', 'sat'], starts: '22:00', ends: '02:00', notes: 'Night line: past midnight, to 2am' },
  ],
})
export type SessionWrite = Static<typeof SessionWriteSchema>

export const SessionSchema = Type.Object({
  venue_id: Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'uuid' }),
  frequency: Type.Ref('Frequency'),
  days: Type.Optional(Type.Array(Type.Ref('DayCode'))),
  week_of_month: Type.Optional(Type.Integer()),
  date: Type.Optional(Type.String({ format: 'date' })),
  starts: Type.String(),
  ends: Type.String(),
  valid_from: Type.Optional(Type.String({ format: 'date' })),
  valid_to: Type.Optional(Type.String({ format: 'date' })),
  except_dates: Type.Optional(Type.Array(Type.String({ format: 'date' }))),
  except_bank_holidays: Type.Optional(Type.Boolean({ description: 'Present (true) when it does not run on bank holidays; absent means false' })),
  notes: Type.Optional(Type.String()),
  summary: Type.String({ readOnly: true, description: 'The rule in words (en-GB), made from the session and its scheme\'s breaks when read, ' +
    'never stored; a write may not send it. See docs/writing.md.', examples: ['Every other Tuesday, 6pm to 8pm, not on bank holidays'] }),
}, { $id: 'Session', description: 'When a scheme runs (SPEC §2). venue_id is null for a remote session.' })
export type Session = Static<typeof SessionSchema>

export const CostSchema = Type.Object({
  free: Type.Boolean(),
  amount_pence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000000, description: 'Absent when free; optional when not (a cost that varies)' })),
  per: Type.Optional(Type.Ref('CostPer')),
  concessions: Type.Optional(Text()),
  description: Type.Optional(Text()),
}, { $id: 'Cost', additionalProperties: false, examples: [{ free: false, amount_pence: 300, per: 'session', concessions: 'Free for carers' }] })

export const ContactSchema = Type.Object({
  phone: Type.Optional(Phone),
  email: Type.Optional(Email),
  website: Type.Optional(WebUrl),
  text: Type.Optional({ ...Phone, description: 'A UK number that takes text messages (SMS): for people who cannot use the phone' }),
}, { $id: 'Contact', additionalProperties: false, examples: [{ phone: '020 7946 0958', email: 'walks@example.org.uk' }] })

export const BreakSchema = Type.Object({
  from: DateString('First day of the break'),
  to: DateString('Last day of the break (inclusive), on or after from'),
  reason: Type.Optional(Text(200, { description: 'Why, in a few words: shown in the schedule\'s summary, e.g. summer break' })),
}, {
  $id: 'Break',
  additionalProperties: false,
  description: 'Dates when none of the scheme\'s sessions run, both included',
  examples: [{ from: '2026-08-01', to: '2026-08-31', reason: 'summer break' }],
})

/**
 * How to refer someone to a scheme, and who may (issue 13). The rules between the fields
 * (form needs url, email an email, phone a phone; self in accepted_from exactly when
 * self_referral) are in src/domain/scheme-rules.ts, which names the field at fault.
 */
export const ReferralSchema = Type.Object({
  methods: Type.Array(Type.Ref('ReferralMethod'), { uniqueItems: true, minItems: 1, maxItems: 5,
    description: 'How a referral is made, at least one: form needs url, email needs email, phone needs phone; self needs self in accepted_from' }),
  url: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500, description: 'The referral form: an http:// or https:// URL',
    examples: ['https://example.org.uk/refer'] })),
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  instructions: Type.Optional(Text(500, { description: 'What a referrer needs to know: what to include, whom to ask for' })),
  accepted_from: Type.Array(Type.Ref('ReferralSource'), { uniqueItems: true, minItems: 1, maxItems: 8,
    description: 'Who may refer, at least one; self exactly when the scheme\'s self_referral is true' }),
}, {
  $id: 'Referral',
  additionalProperties: false,
  description: 'How to refer someone, and who may. Absent: the scheme says nothing beyond self_referral and its contact.',
  examples: [{ methods: ['form', 'phone'], url: 'https://example.org.uk/refer', phone: '020 7946 0958', accepted_from: ['gp', 'link_worker', 'social_worker'],
    instructions: 'Say whether the person would like someone to meet them at the door.' }],
})

/** Capacity figures' upper bounds: a group of 10,000 places, a wait of two years. */
export const CAPACITY_LIMITS = { places: 10000, waiting_weeks: 104 } as const
const capacityFields = {
  status: Type.Ref('CapacityStatus'),
  places: Type.Optional(Type.Integer({ minimum: 0, maximum: CAPACITY_LIMITS.places,
    description: 'places_available only: how many places are left, at least 1 (none left: full or waiting_list)' })),
  waiting_weeks: Type.Optional(Type.Integer({ minimum: 0, maximum: CAPACITY_LIMITS.waiting_weeks,
    description: 'waiting_list only: about how many weeks a new person waits' })),
}

/** Whether a scheme has room (issue 13, after HSDS 3.1's service_capacity), as written. */
export const CapacityWriteSchema = Type.Object(capacityFields, {
  $id: 'CapacityWrite',
  additionalProperties: false,
  description: 'Whether the scheme has room now. updated_at is the server\'s: a write naming it is refused.',
  examples: [{ status: 'places_available', places: 4 }, { status: 'waiting_list', waiting_weeks: 6 }, { status: 'full' }],
})

export const CapacitySchema = Type.Object({
  ...capacityFields,
  updated_at: Type.String({ format: 'date-time',
    description: 'RFC 3339, UTC: when the capacity was last set (by PUT /v1/schemes/{id}/capacity, or a scheme write that changed it)' }),
}, {
  $id: 'Capacity',
  description: 'Whether the scheme has room, and since when the server has known it',
  examples: [{ status: 'waiting_list', waiting_weeks: 6, updated_at: '2026-12-03T09:30:00.000Z' }],
})

/**
 * One object with a `type` rather than a oneOf of three: the rules of each type are checked
 * in src/domain/scheme-rules.ts, which names the one field at fault instead of three branches.
 */
export const ServiceAreaSchema = Type.Object({
  type: Type.Unsafe<'national' | 'radius' | 'polygon'>({ type: 'string', enum: ['national', 'radius', 'polygon'] }),
  center: Type.Optional(Type.Ref('Location', { description: 'radius only' })),
  radius_m: Type.Optional(Type.Integer({ minimum: 100, maximum: 1000000, description: 'radius only: metres' })),
  geometry: Type.Optional(Type.Object({
    type: Type.Unsafe<'Polygon' | 'MultiPolygon'>({ type: 'string', enum: ['Polygon', 'MultiPolygon'] }),
    coordinates: Type.Array(Type.Unknown(), { minItems: 1, description: 'GeoJSON coordinates: [lon, lat] positions, closed rings' }),
  }, { additionalProperties: false, description: 'polygon only: a GeoJSON Polygon or MultiPolygon (WGS84)' })),
}, {
  $id: 'ServiceArea',
  additionalProperties: false,
  description: 'Where a remote scheme (online, telephone, home visit) serves: {type: national} | {type: radius, center, radius_m} | {type: polygon, geometry}',
  examples: [{ type: 'national' }, { type: 'radius', center: { lat: 51.4735, lon: -0.0691 }, radius_m: 8000 }],
})

/**
 * A service area as search items show it (issue 12, response amplification): a polygon's
 * outline is replaced by its bounding box and a link to GET /v1/schemes/{id}/service_area,
 * so a page of 100 items stays small; national and radius areas are small and shown whole.
 */
export const ServiceAreaSummarySchema = Type.Object({
  type: Type.Unsafe<'national' | 'radius' | 'polygon'>({ type: 'string', enum: ['national', 'radius', 'polygon'] }),
  center: Type.Optional(Type.Ref('Location', { description: 'radius only' })),
  radius_m: Type.Optional(Type.Integer({ description: 'radius only: metres' })),
  bbox: Type.Optional(Type.Array(Type.Number(),
    { minItems: 4, maxItems: 4, description: 'polygon only: [west, south, east, north] in degrees (WGS84), as GeoJSON bbox' })),
  href: Type.Optional(Type.String({ description: 'polygon only: where the whole outline is, /v1/schemes/{id}/service_area' })),
}, {
  $id: 'ServiceAreaSummary',
  description: 'A scheme\'s service area in a search item: a polygon by its bbox and a link to the outline; national and radius whole',
  examples: [{ type: 'polygon', bbox: [-0.1, 51.42, -0.03, 51.5], href: '/v1/schemes/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/service_area' }],
})

// The minimum content of a listing (issue 12): what it is, what people do there, how it is
// delivered and a way to get in touch are required; a PUT, which replaces the whole document,
// needs them all, and so does the document a PATCH makes. That the contact names at least one
// of phone, email, website or text is checked in src/domain/scheme-rules.ts.
const schemeFields = {
  name: Name({ examples: ['Evening Walking Group'] }),
  description: Text(5000, { minLength: 1, pattern: NOT_BLANK, description: 'What the scheme is and what happens there' }),
  categories: codes('CategoryCode', 'What people do there: at least one', { minItems: 1 }),
  needs: Type.Optional(codes('NeedCode', 'What it helps with')),
  audience: Type.Optional(codes('AudienceCode')),
  delivery: Type.Array(Type.Ref('DeliveryMode'), { uniqueItems: true, minItems: 1, maxItems: 5, description: 'How it is delivered: at least one' }),
  cost: Type.Optional(Type.Ref('Cost', { description: 'Default {free: true}' })),
  min_age: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  max_age: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  self_referral: Type.Optional(Type.Boolean({ description: 'Default false' })),
  accepting_referrals: Type.Optional(Type.Boolean({ description: 'Default true' })),
  referral: Type.Optional(Type.Ref('Referral')),
  capacity: Type.Optional(Type.Ref('CapacityWrite', { description: 'Also set on its own by PUT /v1/schemes/{id}/capacity' })),
  group_size: Type.Optional(Type.Ref('GroupSize')),
  languages: Type.Optional(Type.Array(Type.String({ pattern: '^([a-z]{2}|bsl)$' }),
    { uniqueItems: true, maxItems: 50, description: 'ISO 639-1 codes, plus bsl; default [en]' })),
  contact: Type.Ref('Contact', { description: 'At least one of phone, email, website or text: how to get in touch or refer' }),
  accessibility: Type.Optional(codes('AccessibilityCode', 'Scheme-level support, e.g. bsl or carer_free')),
  service_area: Type.Optional(Type.Ref('ServiceArea')),
  always_open: Type.Optional(Type.Boolean({ description: 'Default false. Open 24 hours, every day (a national helpline): for its remote delivery ' +
    'modes the scheme meets every session filter (days, period, starts_after, ends_before, date) without sessions' })),
  by_arrangement: Type.Optional(Type.Boolean({ description: 'Default false. Times are agreed with each person (home visits, befriending calls): ' +
    'for its remote delivery modes the scheme meets every session filter without sessions, and has no next_occurrences' })),
  status: Type.Optional(Type.Ref('SchemeStatus', { description: 'Default active' })),
  breaks: Type.Optional(Type.Array(Type.Ref('Break'), { maxItems: 50,
    description: 'Dates when none of its sessions run (an August break, Christmas), up to 50; default none' })),
}

export const SchemeWriteSchema = Type.Object({
  organisation_id: Type.Optional(Uuid('An admin names the organisation on create; a publisher leaves it out')),
  ...schemeFields,
  sessions: Type.Optional(Type.Array(Type.Ref('SessionWrite'), { maxItems: 200, description: 'Replaced as a whole on PUT and PATCH' })),
}, {
  $id: 'SchemeWrite',
  additionalProperties: false,
  description: 'A scheme as written (POST, PUT). PATCH takes a JSON Merge Patch of this document; the merged document is checked like a PUT.',
  // the demo choir's organisation and hall, so that "Try it out" works on the demo directory
  examples: [{
    organisation_id: DEMO_EXAMPLES.organisationId, name: 'Evening Walking Group', description: 'A gentle hour around Peckham Rye, finishing with tea.',
    categories: ['walking', 'nature_outdoors'], needs: ['loneliness', 'physical_inactivity'], audience: ['older_people'],
    delivery: ['in_person'], cost: { free: true }, self_referral: true, languages: ['en'], accessibility: ['carer_free'],
    contact: { phone: '020 7946 0958' },
    referral: { methods: ['phone', 'self'], phone: '020 7946 0958', accepted_from: ['self', 'gp', 'link_worker'] },
    capacity: { status: 'places_available', places: 6 },
    sessions: [{ venue_id: DEMO_EXAMPLES.venueId, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00' }],
  }],
})
export type SchemeWrite = Static<typeof SchemeWriteSchema>
/** The fields a scheme write may set (organisation_id only on create). */
export const SCHEME_WRITABLE = Object.keys(SchemeWriteSchema.properties).filter((k) => k !== 'organisation_id')
/** What a scheme document shows but no write may send; a nested field by its path. */
export const SCHEME_READ_ONLY = [...READ_ONLY_FIELDS, 'organisation', 'venues', 'capacity/updated_at', 'schedule_summary', 'sessions/*/summary']

// Codes as the write models type them: the same enum components, one definition each.
const readFields = {
  id: Uuid(),
  organisation_id: Uuid(),
  name: Type.String(),
  description: Type.String(),
  categories: Type.Array(Type.Ref('CategoryCode')),
  needs: Type.Array(Type.Ref('NeedCode')),
  audience: Type.Array(Type.Ref('AudienceCode')),
  delivery: Type.Array(Type.Ref('DeliveryMode')),
  cost: Type.Ref('Cost'),
  min_age: Type.Optional(Type.Integer()),
  max_age: Type.Optional(Type.Integer()),
  self_referral: Type.Boolean(),
  accepting_referrals: Type.Boolean(),
  referral: Type.Optional(Type.Ref('Referral')),
  capacity: Type.Optional(Type.Ref('Capacity')),
  group_size: Type.Optional(Type.Ref('GroupSize')),
  languages: Type.Array(Type.String()),
  contact: Type.Ref('Contact'),
  accessibility: Type.Array(Type.Ref('AccessibilityCode')),
  service_area: Type.Optional(Type.Ref('ServiceArea')),
  always_open: Type.Boolean({ description: 'Open 24 hours, every day' }),
  by_arrangement: Type.Boolean({ description: 'Times agreed with each person' }),
  status: Type.Ref('SchemeStatus'),
  breaks: Type.Optional(Type.Array(Type.Ref('Break'), { description: 'Absent when it has none' })),
  schedule_summary: Type.String({ readOnly: true, description: 'When it runs, in one line (en-GB), made from all its sessions when read: ' +
    'the one session\'s summary, or the days and parts of the day of several ("Tuesdays and Thursdays, evenings"). See docs/writing.md.',
    examples: ['Tuesdays and Thursdays, evenings'] }),
  last_verified_at: Timestamp,
  stale: Type.Boolean({ description: 'last_verified_at is more than 180 days ago' }),
  created_at: Timestamp,
  updated_at: Timestamp,
  version: Version,
}

/** The scheme fields without sessions, as search items show them (SPEC §3). */
export const SchemeBaseSchema = Type.Object(readFields, { $id: 'SchemeBase' })

export const OrganisationRefSchema = Type.Object({ id: Uuid(), name: Type.String() }, { $id: 'OrganisationRef' })

export const SchemeSchema = Type.Object({
  ...readFields,
  organisation: Type.Ref('OrganisationRef'),
  sessions: Type.Array(Type.Ref('Session')),
  venues: Type.Array(Type.Ref('Venue'), { description: 'The venues its sessions meet at, each once, in the order the sessions first name them, as ' +
    'GET /v1/venues/{id} shows them (a venue deleted since, which only a session that is over can still name, is left out). Read at the time of ' +
    'the request: a venue\'s edit does not change the scheme\'s version.' }),
}, {
  $id: 'Scheme',
  examples: [{
    id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Evening Walking Group',
    description: 'A gentle hour around Peckham Rye, finishing with tea.', categories: ['walking'], needs: ['loneliness'], audience: [],
    delivery: ['in_person'], cost: { free: true }, self_referral: true, accepting_referrals: true,
    referral: { methods: ['phone', 'self'], phone: '020 7946 0958', accepted_from: ['self', 'gp', 'link_worker'] }, languages: ['en'], contact: {},
    accessibility: [], always_open: false, by_arrangement: false, status: 'active',
    breaks: [{ from: '2026-08-01', to: '2026-08-31', reason: 'summer break' }],
    schedule_summary: 'Every Tuesday, 6pm to 7pm, not 1 August to 31 August 2026 (summer break)',
    last_verified_at: '2026-11-02T10:00:00.000Z', stale: false,
    created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-11-02T10:00:00.000Z', version: 1,
    organisation: { id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Peckham Walking Friends' },
    sessions: [{ venue_id: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f', frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00',
      summary: 'Every Tuesday, 6pm to 7pm, not 1 August to 31 August 2026 (summer break)' }],
    venues: [{
      id: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f', organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Peckham Rye Park café',
      address: { line1: 'Peckham Rye Park', town: 'London', postcode: 'SE15 3UA' }, location: { lat: 51.4585, lon: -0.066 },
      accessibility: ['step_free', 'accessible_toilet'], version: 1, created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-11-02T10:00:00.000Z',
    }],
  }],
})
export type Scheme = Static<typeof SchemeSchema>

export const HistoryEntrySchema = Type.Object({
  version: Version,
  action: Type.Unsafe<'create' | 'update' | 'verify' | 'delete'>({ type: 'string', enum: ['create', 'update', 'verify', 'delete'] }),
  changed_at: Timestamp,
  actor: Type.Object({
    key_id: Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'uuid' }),
    role: Type.Unsafe<string | null>({ type: ['string', 'null'], description: 'admin or publisher; "confirmation link" for a one-click confirmation from a reminder (no key); ' +
      'null for a change made outside the API (import, seed)' }),
  }),
  scheme: Type.Ref('Scheme', { description: 'The document as it stood at this version' }),
}, { $id: 'HistoryEntry' })

export const HistoryPageSchema = Type.Object({
  items: Type.Array(Type.Ref('HistoryEntry'), { description: 'Newest first' }),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
}, {
  $id: 'HistoryPage',
  examples: [{
    items: [{
      version: 1, action: 'create', changed_at: '2026-11-02T10:00:00.000Z', actor: { key_id: '0b7e6f52-93a4-4f0e-9d55-1c2b3a4d5e6f', role: 'publisher' },
      scheme: {
        id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Evening Walking Group',
        description: '', categories: ['walking'], needs: [], audience: [], delivery: ['in_person'], cost: { free: true }, self_referral: true,
        accepting_referrals: true, languages: ['en'], contact: {}, accessibility: [], always_open: false, by_arrangement: false, status: 'active', schedule_summary: 'Contact the scheme for times',
        last_verified_at: '2026-11-02T10:00:00.000Z',
        stale: false, created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-11-02T10:00:00.000Z', version: 1,
        organisation: { id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Peckham Walking Friends' }, sessions: [], venues: [],
      },
    }],
    next_cursor: null,
  }],
})

export const schemeSchemas = [
  SessionWriteSchema, SessionSchema, CostSchema, ContactSchema, BreakSchema, ReferralSchema, CapacityWriteSchema, CapacitySchema, ServiceAreaSchema, ServiceAreaSummarySchema, SchemeWriteSchema,
  SchemeBaseSchema, OrganisationRefSchema, SchemeSchema, HistoryEntrySchema, HistoryPageSchema,
]
