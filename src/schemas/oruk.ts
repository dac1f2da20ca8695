import Type, { type TSchema } from 'typebox'
import { ALL_TAXONOMIES, ALL_TERMS, taxonomyId } from '../formats/oruk/taxonomies.ts'
import { ORUK_EXAMPLE_SERVICE, ORUK_EXAMPLE_SAL, ORUK_EXAMPLE_SERVICE_SUMMARY, ORUK_EXAMPLE_SAL_SUMMARY } from '../formats/oruk/examples.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

// Open Referral UK 3.0 records (HSDS 3.0 with the UK profile), described loosely for the
// OpenAPI document. The normative schemas are ORUK's own (test/fixtures/oruk-schemas), which
// the feed test validates every body against. Every object here keeps additionalProperties:
// true so that Fastify's serialiser never drops a field the mapping in src/formats/oruk/ writes.
const Obj = (props: Record<string, TSchema>, options: Record<string, unknown> = {}) => Type.Object(props, { additionalProperties: true, ...options })
const Opt = Type.Optional
const Str = (description?: string) => Type.String(description ? { description } : {})
const Uuid = (description = 'UUID') => Type.String({ format: 'uuid', description })

const TaxonomyTermFields = {
  id: Uuid(), name: Str('The term\'s label'), description: Str(),
  parent_id: Opt(Uuid()), taxonomy: Opt(Str('The taxonomy\'s name')), taxonomy_id: Opt(Uuid()), term_uri: Opt(Type.String({ format: 'uri' })),
    term: Opt(Str('The Signpost code')),
}
export const OrukTaxonomyTermSchema = Obj(TaxonomyTermFields,
  { $id: 'OrukTaxonomyTerm', description: 'ORUK taxonomy_term: a Signpost vocabulary code', examples: [ALL_TERMS[0]] })
export const OrukTaxonomySchema = Obj({
  id: Uuid(), name: Str(), description: Str(), uri: Opt(Type.String({ format: 'uri' })), version: Opt(Str()),
  taxonomy_terms: Opt(Type.Array(Type.Ref('OrukTaxonomyTerm'), { description: 'Present on GET /oruk/taxonomies/{id}' })),
}, { $id: 'OrukTaxonomy', description: 'ORUK taxonomy: one Signpost vocabulary', examples: [ALL_TAXONOMIES[0]] })

const Attribute = Obj({ id: Uuid(), link_id: Opt(Uuid()), taxonomy_term_id: Opt(Uuid()), link_type: Opt(Str('The Signpost vocabulary')),
  taxonomy_term: Opt(Type.Ref('OrukTaxonomyTerm')) })

export const OrukOrganizationSchema = Obj({
  id: Uuid(), name: Str(), description: Str('Empty when the organisation gave none (ORUK requires the field)'),
  email: Opt(Type.String({ format: 'email' })), website: Opt(Type.String({ format: 'uri' })),
  organization_identifiers: Opt(Type.Array(Obj({ id: Uuid(), organization_id: Opt(Uuid()),
    identifier_scheme: Opt(Str('org-id.guide register: GB-CHC, GB-SC or GB-NIC')), identifier_type: Str(), identifier: Str() }))),
}, { $id: 'OrukOrganization', description: 'ORUK organization' })

export const OrukLocationSchema = Obj({
  id: Uuid('The venue id'), location_type: Type.Union([Type.Literal('physical'), Type.Literal('postal'), Type.Literal('virtual')]), name: Opt(Str()),
  latitude: Opt(Type.Number()), longitude: Opt(Type.Number()),
  addresses: Opt(Type.Array(Obj({ id: Uuid(), location_id: Opt(Uuid()), address_1: Str(), city: Str(),
    state_province: Str('UK nation of the postcode'), postal_code: Str(), country: Str('ISO 3166-1 alpha-2'), address_type: Str() }))),
  accessibility: Opt(Type.Array(Obj({ id: Uuid(), location_id: Opt(Uuid()), description: Opt(Str()), attributes: Opt(Type.Array(Attribute)) }))),
}, { $id: 'OrukLocation', description: 'ORUK location: a venue' })

const Schedule = Obj({
  id: Uuid(), service_id: Opt(Uuid()), service_at_location_id: Opt(Uuid()),
  valid_from: Opt(Str('YYYY-MM-DD')), valid_to: Opt(Str('YYYY-MM-DD')), dtstart: Opt(Str('YYYY-MM-DD; fortnightly: the week the fortnights count from')),
  freq: Opt(Type.Union([Type.Literal('WEEKLY'), Type.Literal('MONTHLY')])), interval: Opt(Type.Number()), byday: Opt(Str('TU,TH; monthly 2TU or -1FR')),
  description: Opt(Str()), opens_at: Opt(Str('HH:MM, UK local time')), closes_at: Opt(Str('HH:MM, UK local time')), attending_type: Opt(Str()),
    notes: Opt(Str()),
})

const ServiceSummaryFields = {
  id: Uuid('The scheme id'), organization_id: Opt(Uuid()), name: Str(), description: Opt(Str()),
  url: Opt(Type.String({ format: 'uri' })), email: Opt(Type.String({ format: 'email' })),
  status: Type.Union(['active', 'inactive', 'defunct', 'temporarily closed'].map((s) => Type.Literal(s))),
  fees: Opt(Str()), minimum_age: Opt(Type.Number()), maximum_age: Opt(Type.Number()),
  assured_date: Opt(Str('When the scheme was last verified, YYYY-MM-DD')), alert: Opt(Str()), last_modified: Opt(Type.String({ format: 'date-time' })),
  organization: Opt(Type.Ref('OrukOrganization')),
}
const ServiceNested = {
  schedules: Opt(Type.Array(Schedule)),
  service_areas: Opt(Type.Array(Obj({ id: Uuid(), service_id: Opt(Uuid()), name: Opt(Str()), extent: Opt(Str()), extent_type: Opt(Str()),
    service_area: Opt(Str()) }))),
  languages: Opt(Type.Array(Obj({ id: Uuid(), service_id: Opt(Uuid()), name: Opt(Str()), code: Opt(Str('ISO 639-1, or bsl')) }))),
  cost_options: Opt(Type.Array(Obj({ id: Uuid(), service_id: Opt(Uuid()), option: Opt(Str()),
    amount: Opt(Type.Number({ description: 'Pounds sterling' })), currency: Opt(Str()), amount_description: Opt(Str()) }))),
  phones: Opt(Type.Array(Obj({ id: Uuid(), service_id: Opt(Uuid()), number: Str() }))),
  attributes: Opt(Type.Array(Attribute)),
}
const SalNested = Obj({ id: Uuid(), service_id: Opt(Uuid()), location_id: Opt(Uuid()), location: Opt(Type.Ref('OrukLocation')) })

export const OrukServiceSummarySchema = Obj(ServiceSummaryFields,
  { $id: 'OrukServiceSummary', description: 'ORUK service with its one-to-one fields (service_list)', examples: [ORUK_EXAMPLE_SERVICE_SUMMARY] })
export const OrukServiceSchema = Obj({ ...ServiceSummaryFields, ...ServiceNested, service_at_locations: Opt(Type.Array(SalNested)) }, {
  $id: 'OrukService', description: 'A fully nested ORUK service: a Signpost scheme', examples: [ORUK_EXAMPLE_SERVICE],
})
export const OrukServiceMinimalSchema = Obj({ id: Uuid('The scheme id'),
  last_modified: Type.String({ format: 'date-time', description: 'When the service last changed: its scheme, organisation or one of its venues' }) }, {
  $id: 'OrukServiceMinimal', description: 'A service with minimal=true: its id and when it last changed',
  examples: [{ id: ORUK_EXAMPLE_SERVICE_SUMMARY.id, last_modified: ORUK_EXAMPLE_SERVICE_SUMMARY.last_modified }],
})
export const OrukServiceNdjsonSchema = Type.String({
  $id: 'OrukServiceNdjson',
  description: 'format=ndjson: every matching service, one JSON object per line (newline-delimited JSON), in the form that minimal and full ' +
    'choose, by id; no page envelope.',
  examples: [`${JSON.stringify({ id: ORUK_EXAMPLE_SERVICE_SUMMARY.id, last_modified: ORUK_EXAMPLE_SERVICE_SUMMARY.last_modified })}\n`],
})
export const OrukServiceAtLocationSummarySchema = Obj({ id: Uuid(), service_id: Opt(Uuid()), location_id: Opt(Uuid()),
  location: Opt(Type.Ref('OrukLocation')), service: Opt(Type.Ref('OrukServiceSummary')) }, {
  $id: 'OrukServiceAtLocationSummary', description: 'ORUK service_at_location with one-to-one fields: a scheme at one of its venues',
    examples: [ORUK_EXAMPLE_SAL_SUMMARY],
})
export const OrukServiceAtLocationSchema = Obj({
  id: Uuid(), service_id: Opt(Uuid()), location_id: Opt(Uuid()), location: Opt(Type.Ref('OrukLocation')),
  service: Opt(Obj({ ...ServiceSummaryFields, ...ServiceNested }, { description: 'The service with the schedules at this location' })),
}, { $id: 'OrukServiceAtLocation', description: 'A fully nested ORUK service_at_location', examples: [ORUK_EXAMPLE_SAL] })

export const OrukApiInfoSchema = Type.Object({
  version: Type.Literal('HSDS-UK-3.0'), profile: Type.String({ format: 'uri' }), openapi_url: Type.String({ format: 'uri' }),
}, { $id: 'OrukApiInfo', examples: [{ version: 'HSDS-UK-3.0', profile: 'https://openreferraluk.org/', openapi_url: 'https://signpost.example/openapi.json' }] })

/** The ORUK page envelope around `item` (a schema name, or a schema). */
function OrukPage(item: string | TSchema, $id: string, example: unknown) {
  return Type.Object({
    total_items: Type.Integer({ minimum: 0 }), total_pages: Type.Integer({ minimum: 0 }), page_number: Type.Integer({ minimum: 1 }),
    size: Type.Integer({ minimum: 0, description: 'The number of entities on this page' }),
    first_page: Type.Boolean(), last_page: Type.Boolean(), empty: Type.Boolean(), contents: Type.Array(typeof item === 'string' ? Type.Ref(item) : item),
  }, { $id, examples: [{ total_items: 1, total_pages: 1, page_number: 1, size: 1, first_page: true, last_page: true, empty: false, contents: [example] }] })
}
export const OrukServicePageSchema = OrukPage(Type.Union([Type.Ref('OrukServiceSummary'), Type.Ref('OrukService'), Type.Ref('OrukServiceMinimal')],
  { description: 'One-to-one fields (OrukServiceSummary); with full=true, fully nested (OrukService); with minimal=true, id and last_modified' }),
'OrukServicePage', ORUK_EXAMPLE_SERVICE_SUMMARY)
export const OrukServiceAtLocationPageSchema = OrukPage('OrukServiceAtLocationSummary', 'OrukServiceAtLocationPage', ORUK_EXAMPLE_SAL_SUMMARY)
export const OrukTaxonomyPageSchema = OrukPage('OrukTaxonomy', 'OrukTaxonomyPage', ALL_TAXONOMIES[0])
export const OrukTaxonomyTermPageSchema = OrukPage('OrukTaxonomyTerm', 'OrukTaxonomyTermPage', ALL_TERMS[0])

// Query parameters, ORUK's names and meanings.
const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$', description: 'HH:MM (UK local time)', examples: ['17:00'] })
// Optional with defaults: ORUK clients (and contract tools such as Prism) call a list
// without them; Ajv fills the defaults in before the handler runs.
export const OrukPageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1, description: 'Page number, from 1' })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Results on a page (1–500)' })),
}
export const OrukServiceQuery = {
  ...OrukPageQuery,
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'English full-text search over name, description and organisation name' })),
  taxonomy_term_id: Type.Optional(Type.String({ maxLength: 100,
    description: 'Only services with this taxonomy term (an id from /oruk/taxonomy_terms); an unknown id matches nothing' })),
  taxonomy_id: Type.Optional(Type.String({ maxLength: 100, description: 'Only services with any term of this taxonomy (an id from /oruk/taxonomies)' })),
  minimum_age: Type.Optional(Type.Integer({ minimum: 0, maximum: 150,
    description: 'Only services whose minimum age is at least this (no minimum counts as 0)' })),
  maximum_age: Type.Optional(Type.Integer({ minimum: 0, maximum: 150,
    description: 'Only services whose maximum age is at most this (services without a maximum are left out)' })),
  start_time: Type.Optional({ ...Time, description: 'Only services with a current session starting at or after this time (HH:MM, UK local time)' }),
  end_time: Type.Optional({ ...Time,
    description: 'Only services with a current session ending at or before this time; with start_time and day, the same session must meet all three' }),
  day: Type.Optional(Type.String({ pattern: '^([Mm][Oo]|[Tt][Uu]|[Ww][Ee]|[Tt][Hh]|[Ff][Rr]|[Ss][Aa]|[Ss][Uu])$',
    description: 'Only services with a current session on this weekday: MO, TU, WE, TH, FR, SA or SU (any case)', examples: ['TU'] })),
}
/** HSDS 3.0's parameters for keeping a copy of the feed up to date (docs/oruk.md, "Keeping a copy"). */
export const OrukServiceSyncQuery = {
  organization_id: Type.Optional(Type.String({ format: 'uuid', maxLength: 36, description: 'Only the services of this organisation',
    examples: [DEMO_EXAMPLES.organisationId] })),
  // not year 0000, which RFC 3339 allows and PostgreSQL refuses
  modified_after: Type.Optional(Type.String({ format: 'date-time', pattern: '^(?!0000)', maxLength: 40,
    description: 'Only services modified on or after this RFC 3339 date-time, with its offset, e.g. 2026-11-30T09:00:00Z: those whose ' +
      'last_modified (the scheme, its organisation or one of its venues changed) is at or after it' })),
  minimal: Type.Optional(Type.Boolean({ default: false,
    description: 'true: each service is just its id and last_modified; with format=ndjson, every matching service in one call. Not with full.' })),
  full: Type.Optional(Type.Boolean({ default: false, description: 'true: each service fully nested, as GET /oruk/services/{id} gives it. Not with minimal.' })),
  format: Type.Optional(Type.Unsafe<'json' | 'ndjson'>({ type: 'string', enum: ['json', 'ndjson'], default: 'json',
    description: 'json: a page (the default); ndjson: every matching service, one per line (application/x-ndjson), by id, streamed; page and ' +
      'per_page do not apply' })),
}
const TaxonomySearch = (description: string, example: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 200, description, examples: [example] }))
export const OrukTaxonomyQuery = { ...OrukPageQuery, search: TaxonomySearch('Only those with every word of this in their name or description (any case)', 'referral') }
export const OrukTaxonomyTermQuery = {
  ...OrukPageQuery,
  search: TaxonomySearch('Only terms with every word of this in their name, description or code (any case)', 'walking'),
  taxonomy_id: Type.Optional(Type.String({ maxLength: 100, description: 'Only the terms of this taxonomy (an id from /oruk/taxonomies); an unknown id matches nothing',
    examples: [taxonomyId('categories')] })),
  top_only: Type.Optional(Type.Boolean({ description: 'true: only terms with no parent. Signpost\'s vocabularies are flat: every term is a top-level term' })),
  parent_id: Type.Optional(Type.String({ format: 'uuid', maxLength: 36,
    description: 'Only the terms whose parent is this term. Signpost\'s vocabularies are flat: no term has a parent, so none match' })),
}
export const OrukServiceAtLocationQuery = {
  ...OrukServiceQuery,
  postcode: Type.Optional(Type.String({ minLength: 1, maxLength: 20,
    description: 'A GB postcode, sector or district: results nearest first from its centroid. Never stored or logged.', examples: ['SE15 4AA'] })),
  proximity: Type.Optional(Type.Integer({ minimum: 1, maximum: 200000, description: 'With postcode: only locations within this many metres of it' })),
}

export const orukSchemas = [
  OrukTaxonomyTermSchema, OrukTaxonomySchema, OrukOrganizationSchema, OrukLocationSchema,
  OrukServiceSummarySchema, OrukServiceSchema, OrukServiceMinimalSchema, OrukServiceNdjsonSchema, OrukServiceAtLocationSummarySchema, OrukServiceAtLocationSchema, OrukApiInfoSchema,
  OrukServicePageSchema, OrukServiceAtLocationPageSchema, OrukTaxonomyPageSchema, OrukTaxonomyTermPageSchema,
]
