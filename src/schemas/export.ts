import Type from 'typebox'
import { HEADER } from '../formats/csv/template.ts'

const exampleRow = ['6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', 'PWF-1', 'Peckham Walking Friends', '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', 'walk-1',
  'Evening walk', 'A gentle walk, then tea.', 'active',
  'walking', 'loneliness', 'older_people', 'in_person', '', 'true', '', '', '', '', '18', '', 'true', 'true', 'small', 'en', '020 7946 0958', '', '',
    '', '', '', '', '', '2026-08-01/2026-08-31 summer break',
  '5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f', 'rye-cafe', 'Peckham Rye Park café', 'Peckham Rye Park', '', 'London', 'SE15 3UA', '51.4585', '-0.066',
    'step_free;accessible_toilet',
  'weekly', 'tue;thu', '', '', '18:00', '19:30', '', '', '2026-12-24', 'true', '']

export const ExportCsvSchema = Type.String({
  $id: 'ExportCsv',
  description: `UTF-8 CSV (with a byte order mark, for spreadsheets), one row per session, in the import template's columns: ${HEADER.join(', ')}. See docs/import.md.`,
  examples: [`${HEADER.join(',')}\n${exampleRow.join(',')}\n`],
})

const featureExample = {
  type: 'Feature', id: '5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
  geometry: { type: 'Point', coordinates: [-0.066, 51.4585] },
  properties: {
    id: '5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f', name: 'Peckham Rye Park café', organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f',
      organisation_name: 'Peckham Walking Friends',
    line1: 'Peckham Rye Park', town: 'London', postcode: 'SE15 3UA', accessibility: 'step_free;accessible_toilet',
    scheme_count: 1, scheme_names: 'Evening walk', categories: 'walking',
    schemes: [{ id: '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', name: 'Evening walk', categories: ['walking'], delivery: ['in_person'], free: true }],
  },
}

export const VenueFeatureSchema = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String({ format: 'uuid' }),
  geometry: Type.Object({ type: Type.Literal('Point'),
    coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[lon, lat], WGS84' }) }),
  properties: Type.Object({
    id: Type.String({ format: 'uuid' }), name: Type.String(), organisation_id: Type.String({ format: 'uuid' }), organisation_name: Type.String(),
    line1: Type.String(), line2: Type.Optional(Type.String()), town: Type.String(), postcode: Type.String(),
    accessibility: Type.String({ description: 'Codes separated by ;' }),
    scheme_count: Type.Integer({ minimum: 0, description: 'Active schemes with a current session here' }),
    scheme_names: Type.Optional(Type.String({ description: 'Their names, separated by "; "' })),
    categories: Type.Optional(Type.String({ description: 'Their categories, separated by ;' })),
    schemes: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), categories: Type.Array(Type.String()),
      delivery: Type.Array(Type.String()), free: Type.Boolean() })),
  }, { description: 'Flat fields for GIS tools, and the schemes as a list' }),
}, { $id: 'VenueFeature', examples: [featureExample] })

export const VenueFeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Ref('VenueFeature')),
}, { $id: 'VenueFeatureCollection', description: 'RFC 7946 GeoJSON, WGS84 lon/lat', examples: [{ type: 'FeatureCollection', features: [featureExample] }] })

export const exportSchemas = [ExportCsvSchema, VenueFeatureSchema, VenueFeatureCollectionSchema]
