import Type, { type Static } from 'typebox'
import { SearchQuery } from './search.ts'

/** Issue 16: demand and coverage figures for commissioners (docs/insights.md). */

const sq = SearchQuery.properties
const date = (description: string) => Type.String({ format: 'date', description })

/** The search filters that the demand and coverage figures take, meaning exactly what they mean in search. */
const filterParams = {
  need: sq.need, category: sq.category, period: sq.period, days: sq.days, accessibility: sq.accessibility, free: sq.free,
}

export const DemandQuery = Type.Object({
  // no examples on dates: "Try it out" must not send a day that a later run finds in the past
  from: Type.Optional(date('First UK date counted, YYYY-MM-DD; default 29 days before `to`')),
  to: Type.Optional(date('Last UK date counted, YYYY-MM-DD; default today (UK); at most 366 days after `from`')),
  area: Type.Optional(Type.Union([Type.Literal('local_authority'), Type.Literal('nation')], {
    default: 'local_authority', description: 'Figures per local authority district, or per nation (England, Wales, Scotland)' })),
  ...filterParams, delivery: sq.delivery, audience: sq.audience,
}, { additionalProperties: false })

export const CellSchema = Type.Object({
  value: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'The count rounded to the nearest 5; null when suppressed' }),
  suppressed: Type.Boolean({ description: 'true: 1 to 7, or hidden so that a total does not give such a count away' }),
}, { $id: 'SuppressedCount', additionalProperties: false, description: 'A count as published (docs/insights.md: small numbers)',
  examples: [{ value: 25, suppressed: false }] })

const cell = Type.Ref('SuppressedCount')
const areaCode = Type.Union([Type.String(), Type.Null()], { description: 'Local authority district code (E09000028) or nation; null: not in a GB authority' })

export const DemandFiguresSchema = Type.Object({
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  area_type: Type.Union([Type.Literal('local_authority'), Type.Literal('nation')]),
  total: Type.Object({ searches: cell, no_result: cell }, { additionalProperties: false }),
  areas: Type.Array(Type.Object({
    code: areaCode,
    name: Type.String(),
    searches: cell,
    no_result: cell,
    by_filter: Type.Array(Type.Object({
      parameter: Type.String({ description: 'The search parameter: need, category, period, days, accessibility, delivery, audience or free' }),
      code: Type.String(),
      searches: cell, no_result: cell,
    }, { additionalProperties: false }), { description: 'Searches that asked this code (with any others), and those of them that found nothing' }),
    unmet: Type.Array(Type.Object({ filters: Type.String({ description: 'The combination of filters, as a query string' }), no_result: cell },
      { additionalProperties: false }), { description: 'The filter combinations most often left without a result (up to 10; only counts of 8 or more)' }),
  }, { additionalProperties: false })),
}, {
  $id: 'DemandFigures', additionalProperties: false,
  examples: [{ from: '2026-11-04', to: '2026-12-03', area_type: 'local_authority',
    total: { searches: { value: 140, suppressed: false }, no_result: { value: 35, suppressed: false } },
    areas: [{ code: 'E09000028', name: 'Southwark', searches: { value: 140, suppressed: false }, no_result: { value: 35, suppressed: false },
      by_filter: [{ parameter: 'need', code: 'loneliness', searches: { value: 60, suppressed: false }, no_result: { value: 25, suppressed: false } }],
      unmet: [{ filters: 'need=loneliness&period=evening', no_result: { value: 25, suppressed: false } }] }] }],
})
export type DemandFiguresDoc = Static<typeof DemandFiguresSchema>

export const CoverageQuery = Type.Object({
  ...filterParams,
  radius_m: Type.Optional(Type.Integer({ minimum: 100, maximum: 50000, default: 5000,
    description: 'A postcode is covered when a venue with a matching current session lies within this many metres of its sector\'s centroid' })),
}, { additionalProperties: false })

const coverageProps = {
  schemes: Type.Integer({ description: 'Published schemes with a matching current session at a venue in the authority' }),
  sessions: Type.Integer({ description: 'Their matching current sessions at venues in the authority' }),
  postcodes: Type.Integer({ description: 'The authority\'s postcode units (OS Code-Point Open)' }),
  covered_postcodes: Type.Integer({ description: 'Those whose sector centroid is within radius_m of a venue with a matching current session' }),
  covered_share: Type.Number({ description: 'covered_postcodes / postcodes, 0 to 1, 4 decimals' }),
}

export const AuthorityCoverageSchema = Type.Object({
  code: Type.String({ description: 'Local authority district code' }),
  name: Type.String(),
  nation: Type.String(),
  ...coverageProps,
}, { $id: 'AuthorityCoverage', additionalProperties: false,
  examples: [{ code: 'E09000028', name: 'Southwark', nation: 'England', schemes: 12, sessions: 19, postcodes: 7112, covered_postcodes: 4196, covered_share: 0.59 }] })

export const CoverageFiguresSchema = Type.Object({
  today: Type.String({ format: 'date', description: 'The UK date on which sessions were current' }),
  radius_m: Type.Integer(),
  filters: Type.String({ description: 'The filters asked, as a query string' }),
  total: Type.Object(coverageProps, { additionalProperties: false, description: 'Great Britain (schemes counted once)' }),
  authorities: Type.Array(Type.Ref('AuthorityCoverage')),
}, { $id: 'CoverageFigures', additionalProperties: false,
  examples: [{ today: '2026-12-03', radius_m: 5000, filters: 'period=evening', total: { schemes: 12, sessions: 19, postcodes: 1744805,
    covered_postcodes: 4196, covered_share: 0.0024 },
  authorities: [{ code: 'E09000028', name: 'Southwark', nation: 'England', schemes: 12, sessions: 19, postcodes: 7112, covered_postcodes: 4196, covered_share: 0.59 }] }] })

export const CoverageGeoJsonSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.String(),
    geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }) }),
    properties: Type.Ref('AuthorityCoverage'),
  })),
}, { $id: 'CoverageGeoJson', description: 'One point per local authority, at the mean of its postcodes, with its figures as properties (RFC 7946, WGS84)' })

export const GapsQuery = Type.Object({
  area: Type.String({ pattern: '^[EWS][0-9]{8}$', description: 'A local authority district code', examples: ['E09000028'] }),
  from: DemandQuery.properties.from,
  to: DemandQuery.properties.to,
  radius_m: CoverageQuery.properties.radius_m,
}, { additionalProperties: false })

export const GapsSchema = Type.Object({
  area: Type.Object({ code: Type.String(), name: Type.String() }),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  radius_m: Type.Integer(),
  gaps: Type.Array(Type.Object({
    filters: Type.String({ description: 'The filters, as a query string' }),
    no_result: cell,
    covered_share: Type.Number({ description: 'The share of the authority\'s postcodes within radius_m of a matching session' }),
    sentence: Type.String(),
  }, { additionalProperties: false }), { description: 'Filter combinations with the most searches left without a result (8 or more) and the least coverage, worst first' }),
}, { $id: 'Gaps', additionalProperties: false,
  examples: [{ area: { code: 'E09000028', name: 'Southwark' }, from: '2026-11-04', to: '2026-12-03', radius_m: 5000,
    gaps: [{ filters: 'need=loneliness&period=evening', no_result: { value: 25, suppressed: false }, covered_share: 0.59,
      sentence: 'About 25 searches for loneliness in the evening found nothing within 5 km from 4 Nov to 3 Dec 2026; 41% of Southwark\'s postcodes have ' +
        'no matching session within 5 km.' }] }] })

export const CsvText = Type.String({ $id: 'CsvText', description: 'CSV (RFC 4180), with a header row' })
export const SvgText = Type.String({ $id: 'SvgText', description: 'An SVG image' })

export const insightsSchemas = [CellSchema, DemandFiguresSchema, AuthorityCoverageSchema, CoverageFiguresSchema, CoverageGeoJsonSchema, GapsSchema, CsvText, SvgText]
