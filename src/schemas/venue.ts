import Type, { type Static } from 'typebox'
import { NOT_BLANK } from './common.ts'
import { Name, Text, Timestamp, Uuid, Version } from './organisation.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

/** A point inside the UK's bounding box (SPEC: lat 49.8–60.9, lon −8.7–1.8). */
export const LocationSchema = Type.Object({
  lat: Type.Number({ minimum: 49.8, maximum: 60.9, description: 'WGS84 latitude', examples: [51.4735] }),
  lon: Type.Number({ minimum: -8.7, maximum: 1.8, description: 'WGS84 longitude', examples: [-0.0691] }),
}, { $id: 'Location', additionalProperties: false, description: 'WGS84 coordinates inside the UK' })
export type Location = Static<typeof LocationSchema>

export const AddressSchema = Type.Object({
  line1: Text(500, { minLength: 1, pattern: NOT_BLANK }),
  line2: Type.Optional(Text()),
  town: Text(500, { minLength: 1, pattern: NOT_BLANK }),
  postcode: Type.String({ maxLength: 16, description: 'A full UK postcode in any case and spacing; stored as e.g. SE15 4AA', examples: ['SE15 4AA'] }),
}, { $id: 'Address', additionalProperties: false,
  examples: [{ line1: 'Peckham Library', line2: '122 Peckham Hill Street', town: 'London', postcode: 'SE15 5JR' }] })

const AccessibilityList = Type.Array(Type.Ref('AccessibilityCode'), { uniqueItems: true, maxItems: 50 })

export const VenueWriteSchema = Type.Object({
  organisation_id: Type.Optional(Uuid('An admin names the organisation; a publisher leaves it out (it is the key\'s own)')),
  name: Name({ examples: ['Peckham Library'] }),
  address: Type.Ref('Address'),
  location: Type.Optional(Type.Ref('Location', { description: 'Omit it to have the venue placed at its postcode\'s centroid (OS Code-Point Open, GB only)' })),
  accessibility: Type.Optional(AccessibilityList),
}, {
  $id: 'VenueWrite',
  additionalProperties: false,
  description: 'A venue as written (POST). PATCH takes a JSON Merge Patch of these fields; changing the postcode without a location places the venue again.',
  // the organisation is the demo choir's (an admin names one; a publisher may leave it out)
  examples: [{ organisation_id: DEMO_EXAMPLES.organisationId, name: 'Peckham Library',
    address: { line1: '122 Peckham Hill Street', town: 'London', postcode: 'se15 5jr' }, accessibility: ['step_free', 'accessible_toilet', 'hearing_loop'] }],
})
export type VenueWrite = Static<typeof VenueWriteSchema>

export const VenueSchema = Type.Object({
  id: Uuid(),
  organisation_id: Uuid(),
  name: Type.String(),
  address: Type.Ref('Address'),
  location: Type.Object({ lat: Type.Number(), lon: Type.Number() }),
  accessibility: Type.Array(Type.Ref('AccessibilityCode')),
  version: Version,
  created_at: Timestamp,
  updated_at: Timestamp,
}, {
  $id: 'Venue',
  examples: [{
    id: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f', organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Peckham Library',
    address: { line1: '122 Peckham Hill Street', town: 'London', postcode: 'SE15 5JR' }, location: { lat: 51.4739, lon: -0.0693 },
    accessibility: ['step_free', 'accessible_toilet', 'hearing_loop'], version: 1, created_at: '2026-11-02T10:00:00.000Z',
      updated_at: '2026-11-02T10:00:00.000Z',
  }],
})
export type Venue = Static<typeof VenueSchema>

export const VenuePageSchema = Type.Object({
  items: Type.Array(Type.Ref('Venue')),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass back as cursor for the next page; null on the last' }),
}, {
  $id: 'VenuePage',
  examples: [{
    items: [{
      id: '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f', organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Peckham Library',
      address: { line1: '122 Peckham Hill Street', town: 'London', postcode: 'SE15 5JR' }, location: { lat: 51.4739, lon: -0.0693 },
      accessibility: ['step_free'], version: 1, created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-11-02T10:00:00.000Z',
    }],
    next_cursor: null,
  }],
})

export const venueSchemas = [LocationSchema, AddressSchema, VenueWriteSchema, VenueSchema, VenuePageSchema]
