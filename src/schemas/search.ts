import Type, { type Static } from 'typebox'
import { Uuid } from './organisation.ts'
import { SchemeBaseSchema } from './scheme.ts'
import { periodWindows } from '../domain/calendar.ts'

/** SPEC §3 search: the query string and the page it answers. */

const list = (what: string, example: string) =>
  Type.String({ minLength: 1, maxLength: 1000,
    description: `Comma-separated ${what} (see GET /v1/vocabularies); an unknown code is a 400 listing the allowed ones.`, examples: [example] })
const time = (description: string, example: string) =>
  Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description, examples: [example] })

/** Query parameters (inline in the route so that OpenAPI lists each one). */
export const SearchQuery = Type.Object({
  // no examples on lat, lon and date: "Try it out" fills every example in, and lat with
  // postcode, or a date that has passed, would make the first try a 400
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90,
    description: 'Latitude (WGS84) of the place, e.g. 51.4663; needs lon; not with postcode. Never stored or logged.' })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180,
    description: 'Longitude (WGS84) of the place, e.g. -0.0708; needs lat; not with postcode. Never stored or logged.' })),
  postcode: Type.Optional(Type.String({ minLength: 1, maxLength: 16,
    description: 'The place as a GB postcode: full (SE15 4AA), sector (SE15 4) or district (SE15), any case and spacing; resolved full → sector → ' +
      'district. Not with lat/lon. Unknown or Northern Ireland postcodes are a 422. Never stored or logged.', examples: ['SE15 4'] })),
  radius_m: Type.Optional(Type.Number({ minimum: 100, maximum: 200000, default: 5000,
    description: 'In-person venues within this many metres (geodesic) of the place.', examples: [5000] })),
  days: Type.Optional(list('weekdays: a session runs on any of them (a session past midnight belongs to the day it starts)', 'tue,thu')),
  period: Type.Optional(list(`periods (${periodWindows()}): a session overlaps any of them`, 'evening')),
  starts_after: Type.Optional(time('A session starts at or after this UK time, HH:MM, on its day.', '17:00')),
  ends_before: Type.Optional(time('A session is over by this UK time, HH:MM. A session that runs past midnight is over by a time of the next ' +
    'morning up to 06:00 (22:00–02:00 meets 02:00 and 03:00, not 23:00).', '21:00')),
  date: Type.Optional(Type.String({ format: 'date',
    description: 'A session runs on this date, YYYY-MM-DD (frequency, validity and exceptions applied); from today to today + 365 days (UK).' })),
  accessibility: Type.Optional(list('accessibility codes: all of them, met by the venue and the scheme together (remote: by the scheme)', 'step_free')),
  delivery: Type.Optional(list('delivery modes, any of them; default in_person with a place, all without', 'in_person,telephone')),
  category: Type.Optional(list('categories, any of them', 'walking,befriending')),
  need: Type.Optional(list('needs, any of them', 'loneliness')),
  audience: Type.Optional(list('audiences: schemes suitable for them, i.e. open to everyone (no audience listed) or listing any of them', 'older_people')),
  audience_only: Type.Optional(Type.Boolean({ description: 'With audience: true keeps only schemes that list one of the audiences (not those open to everyone).' })),
  group_size: Type.Optional(list('group sizes, any of them', 'one_to_one,small')),
  language: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Comma-separated ISO 639-1 codes or bsl, any of them.',
    examples: ['en,cy'] })),
  free: Type.Optional(Type.Boolean({ description: 'true: free schemes only; false: paid only.' })),
  max_cost_pence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000000, description: 'Free, or a known cost of at most this many pence.',
    examples: [500] })),
  age: Type.Optional(Type.Integer({ minimum: 0, maximum: 150, description: "Within the scheme's age range (a missing bound is open).", examples: [72] })),
  self_referral: Type.Optional(Type.Boolean({ description: 'People can refer themselves (true) or not (false).' })),
  accepting_referrals: Type.Optional(Type.Boolean({ description: 'The scheme is taking referrals (true) or not (false).' })),
  referral_from: Type.Optional(list('referral sources: the scheme takes referrals from any of them (referral.accepted_from); a scheme that ' +
    'gives no referral takes only self, and only when self_referral is true', 'link_worker,self')),
  has_places: Type.Optional(Type.Boolean({ description: 'true: places available now (capacity.status places_available); false: a waiting list ' +
    'or full. A scheme that gives no capacity matches neither.' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200,
    description: 'English full-text search over name, description and organisation name (web search syntax: "quoted phrase", -not, or).',
      examples: ['walk'] })),
  organisation_id: Type.Optional(Type.String({ format: 'uuid', maxLength: 36, description: "One organisation's schemes only." })),
  verified_within_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 36500, description: 'last_verified_at within this many days.', examples: [180] })),
  include_unconfirmed: Type.Optional(Type.Boolean({ description: 'true: also schemes that have gone unconfirmed too long and left search ' +
    '(docs/freshness.md).' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Items per page, 1–100.' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 4096,
    description: 'next_cursor of the previous page of the same search; any other value is a 400.' })),
}, { additionalProperties: false })

/**
 * A search item: the scheme without its full session list (SchemeBase), its organisation,
 * and what matched: the nearest venue, its distance, the sessions and their next starts.
 */
export const SearchItemSchema = Type.Object({
  ...SchemeBaseSchema.properties,
  service_area: Type.Optional(Type.Ref('ServiceAreaSummary')),
  organisation: Type.Ref('OrganisationRef'),
  distance_m: Type.Union([Type.Number(), Type.Null()],
    { description: 'Geodesic metres from the place to the venue (WGS84 ellipsoid); null for remote matches or without a place.' }),
  venue: Type.Union([Type.Ref('Venue'), Type.Null()],
    { description: 'The nearest venue where a session matched; null for remote matches or without a place.' }),
  matching_sessions: Type.Array(Type.Ref('Session'),
    { description: 'The sessions that satisfied the filters: at that venue; for a remote match, the remote ones; without a place, all of them.' }),
  next_occurrences: Type.Array(Type.String({ format: 'date-time' }),
    { description: 'Up to 3 start times of the matching sessions, strictly after now and within 60 × 24 hours, ascending, RFC 3339 with the UK offset ' +
      '(Z in winter, +01:00 in summer).' }),
}, { $id: 'SearchItem' })

/**
 * What a first page with a place and no items offers instead (docs/search.md, "When nothing
 * matches"): the nearest schemes beyond the radius, and which filter to leave out.
 */
export const SearchSuggestionsSchema = Type.Object({
  nearest: Type.Array(Type.Object({
    id: Uuid("The scheme's id"),
    name: Type.String(),
    organisation: Type.Ref('OrganisationRef'),
    distance_m: Type.Number({ description: 'Geodesic metres from the place to its nearest matching venue.' }),
  }), { maxItems: 3, description: 'Up to 3 schemes that match every filter in person at a venue beyond `radius_m` and within 50 km, nearest first ' +
    '(by that venue, ties by id). Empty when none, when `delivery` leaves out in_person, or when `radius_m` is 50 km or more.' }),
  without: Type.Optional(Type.Array(Type.Object({
    without: Type.String({ description: 'The filter left out, as asked: `parameter=value`; each `accessibility` code on its own ' +
      '(`accessibility=seating`), any other parameter whole (`category=walking,befriending`, `free=true`).', examples: ['accessibility=seating'] }),
    matches: Type.Integer({ minimum: 1, maximum: 50, description: 'Schemes that would match without it (with every other filter, within the radius, ' +
      'in person or remote as asked), counted up to 50.' }),
    capped: Type.Boolean({ description: 'true: 50 or more; the count stopped there.' }),
  }), { description: 'For each filter asked whose removal alone would find schemes, how many: most first (ties in the order of the parameters ' +
    'in this document). A filter whose removal finds nothing is not listed, so an empty list says that no single filter is the cause. Left out when ' +
    'more than 8 filters are asked (each accessibility code counts as one).' })),
}, { $id: 'SearchSuggestions' })

export const SearchPageSchema = Type.Object({
  items: Type.Array(Type.Ref('SearchItem')),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page.' }),
  origin: Type.Optional(Type.Object({
    lat: Type.Number(),
    lon: Type.Number(),
    precision: Type.String({ enum: ['postcode', 'sector', 'district', 'coordinates'] }),
  }, { description: 'The place searched from: a postcode centroid, or the coordinates given.' })),
  suggestions: Type.Optional(Type.Ref('SearchSuggestions', {
    description: 'Only on a first page (no `cursor`) of a search with a place that has no items: what is near, and which filter to leave out.' })),
}, {
  $id: 'SearchPage',
  examples: [{
    items: [{
      id: '0d6f7f5e-2b8a-4e0e-9a51-3b8f2f7c1a10', organisation_id: '5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Peckham Evening Walk',
      description: 'A gentle hour round the Rye, with tea after.', categories: ['walking'], needs: ['loneliness', 'physical_inactivity'],
      audience: ['older_people'], delivery: ['in_person'], cost: { free: true }, self_referral: true, accepting_referrals: true,
      group_size: 'small', languages: ['en'], contact: { phone: '020 7946 0000' }, accessibility: [], always_open: false, by_arrangement: false, status: 'active',
      schedule_summary: 'Every Tuesday and Thursday, 6pm to 7pm, not on 24 December 2026',
      last_verified_at: '2026-11-02T10:00:00.000Z', stale: false, created_at: '2026-01-10T09:00:00.000Z', updated_at: '2026-11-02T10:00:00.000Z', version: 3,
      organisation: { id: '5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Rye Walkers' },
      distance_m: 412.587,
      venue: {
        id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', organisation_id: '5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Rye Lane Hall',
        address: { line1: '1 Rye Lane', town: 'London', postcode: 'SE15 4AA' }, location: { lat: 51.4695, lon: -0.0691 },
        accessibility: ['step_free', 'accessible_toilet'], version: 1, created_at: '2026-01-10T09:00:00.000Z', updated_at: '2026-01-10T09:00:00.000Z',
      },
      matching_sessions: [{ venue_id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', frequency: 'weekly', days: ['tue', 'thu'], starts: '18:00',
        ends: '19:00', except_dates: ['2026-12-24'], summary: 'Every Tuesday and Thursday, 6pm to 7pm, not on 24 December 2026' }],
      next_occurrences: ['2026-11-24T18:00:00Z', '2026-11-26T18:00:00Z', '2026-12-01T18:00:00Z'],
    }],
    next_cursor: null,
    origin: { lat: 51.466263, lon: -0.070785, precision: 'sector' },
  }],
})
export type SearchPage = Static<typeof SearchPageSchema>
export type SearchItem = Static<typeof SearchItemSchema>
export type SearchSuggestions = Static<typeof SearchSuggestionsSchema>

export const searchSchemas = [SearchItemSchema, SearchSuggestionsSchema, SearchPageSchema]
