import Type, { type TSchema } from 'typebox'
import { OA_EXAMPLE_DATA_CATALOG, OA_EXAMPLE_DATASET, OA_EXAMPLE_SESSION_SERIES } from '../formats/openactive/examples.ts'

// OpenActive documents (JSON-LD), described loosely for the OpenAPI document: the normative
// check is OpenActive's own data-model validator, which the tests run on every shape the mapping
// writes (test/formats/openactive). Every object keeps additionalProperties: true so that
// Fastify's serialiser never drops a property the mapping in src/formats/openactive/ writes.
const Obj = (props: Record<string, TSchema>, options: Record<string, unknown> = {}) => Type.Object(props, { additionalProperties: true, ...options })
const Uri = (description: string) => Type.String({ format: 'uri', description })

export const OaSessionSeriesSchema = Obj({
  '@context': Type.Literal('https://openactive.io/'),
  '@type': Type.Literal('SessionSeries'),
  '@id': Uri('The scheme in the native API: {base}/v1/schemes/{id}'),
  identifier: Type.String({ format: 'uuid', description: 'The scheme id' }),
  url: Uri('The scheme\'s page for people'),
  name: Type.String(),
  activity: Type.Array(Obj({ '@type': Type.Literal('Concept'), '@id': Uri('An OpenActive activity-list concept'), prefLabel: Type.String(),
    inScheme: Type.Literal('https://openactive.io/activity-list') })),
  eventAttendanceMode: Type.String(),
  eventSchedule: Type.Array(Obj({ '@type': Type.Union([Type.Literal('Schedule'), Type.Literal('PartialSchedule')]),
    scheduleTimezone: Type.Literal('Europe/London') })),
  offers: Type.Array(Obj({ '@type': Type.Literal('Offer') })),
}, { $id: 'OaSessionSeries', description: 'An OpenActive SessionSeries (Modelling Opportunity Data 2.0): a scheme that is a physical activity. ' +
  'See docs/openactive.md for every property.', examples: [OA_EXAMPLE_SESSION_SERIES] })

const RpdeItem = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The scheme id' }),
  state: Type.Union([Type.Literal('updated'), Type.Literal('deleted')]),
  kind: Type.Literal('SessionSeries'),
  modified: Type.Integer({ description: 'The change number of the scheme\'s latest change' }),
  data: Type.Optional(Type.Ref('OaSessionSeries', { description: 'Present when state is updated' })),
}, { additionalProperties: false })

export const OaSessionSeriesPageSchema = Type.Object({
  items: Type.Array(RpdeItem),
  next: Type.String({ description: 'The URL of the next page; on the last page, this page again to poll' }),
  license: Type.Literal('https://creativecommons.org/licenses/by/4.0/'),
}, {
  $id: 'OaSessionSeriesPage', description: 'A page of the RPDE 1.0 feed, ordered by modified then id',
  examples: [{ items: [
    { id: OA_EXAMPLE_SESSION_SERIES.identifier, state: 'updated', kind: 'SessionSeries', modified: 1042, data: OA_EXAMPLE_SESSION_SERIES },
    { id: '3f2e1d0c-9b8a-4765-8432-10fedcba9876', state: 'deleted', kind: 'SessionSeries', modified: 1043 },
  ], next: 'https://signpost.example/openactive/session-series?afterChangeNumber=1043',
  license: 'https://creativecommons.org/licenses/by/4.0/' }],
})

export const OaDatasetSchema = Obj({
  '@context': Type.Literal('https://openactive.io/'), '@type': Type.Literal('Dataset'), '@id': Uri('The dataset site'),
  distribution: Type.Array(Obj({ '@type': Type.Literal('DataDownload'), contentUrl: Uri('The RPDE feed') })),
}, { $id: 'OaDataset', description: 'The OpenActive dataset site\'s schema.org Dataset (Dataset API Discovery 1.0)', examples: [OA_EXAMPLE_DATASET] })

export const OaDataCatalogSchema = Obj({
  '@context': Type.Literal('https://openactive.io/'), '@type': Type.Literal('DataCatalog'), '@id': Uri('This catalogue'),
  dataset: Type.Array(Uri('A dataset site')),
}, { $id: 'OaDataCatalog', description: 'A DataCatalog listing the dataset site', examples: [OA_EXAMPLE_DATA_CATALOG] })

export const openactiveSchemas = [OaSessionSeriesSchema, OaSessionSeriesPageSchema, OaDatasetSchema, OaDataCatalogSchema]
