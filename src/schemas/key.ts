import Type, { type Static } from 'typebox'
import { NOT_BLANK } from './common.ts'
import { Text, Timestamp, Uuid } from './organisation.ts'
import { DEMO_EXAMPLES } from '../seed/demo-examples.ts'

export const Role = Type.Unsafe<'admin' | 'publisher' | 'reader' | 'analyst'>({
  $id: 'Role',
  type: 'string',
  enum: ['admin', 'publisher', 'reader', 'analyst'],
  description: 'admin: everything; publisher: one organisation\'s venues and schemes; reader: reads (when a deployment requires a key for them); ' +
    'analyst: reads and the demand figures (/v1/insights/demand), no writes',
})

export const KeyCreateSchema = Type.Object({
  role: Type.Ref('Role'),
  label: Type.Optional(Text(500, { minLength: 1, pattern: NOT_BLANK, description: 'What the key is for, e.g. who holds it; not blank' })),
  organisation_id: Type.Optional(Uuid('Required for a publisher key (the organisation it may edit); refused for other roles')),
}, {
  $id: 'KeyCreate',
  additionalProperties: false,
  examples: [{ role: 'publisher', organisation_id: DEMO_EXAMPLES.organisationId, label: 'Rye Lane Community Choir website' }],
})
export type KeyCreate = Static<typeof KeyCreateSchema>

const nullableUuid = Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'uuid' })
const nullableText = Type.Unsafe<string | null>({ type: ['string', 'null'] })

export const KeyCreatedSchema = Type.Object({
  id: Uuid(),
  key: Type.Optional(Type.String({ description: 'The secret, shown this once only (it is stored as a SHA-256 hash). Absent when an Idempotency-Key ' +
    'replay answers: revoke that key and make another if it was lost.' })),
  role: Type.Ref('Role'),
  organisation_id: nullableUuid,
  label: nullableText,
}, {
  $id: 'KeyCreated',
  examples: [{ id: '0b7e6f52-93a4-4f0e-9d55-1c2b3a4d5e6f', key: 'sp_Xq3v8m2hK9pL0rT5wY7zA1bC4dE6fG8hJ0kM2nP4qR6', role: 'publisher',
    organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', label: 'Peckham Walking Friends website' }],
})
export type KeyCreated = Static<typeof KeyCreatedSchema>

export const KeySchema = Type.Object({
  id: Uuid(),
  role: Type.Ref('Role'),
  organisation_id: nullableUuid,
  label: nullableText,
  created_at: Timestamp,
  last_used_at: Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time', description: 'Kept to the minute' }),
  revoked_at: Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time' }),
}, {
  $id: 'Key',
  description: 'An API key without its secret',
  examples: [{ id: '0b7e6f52-93a4-4f0e-9d55-1c2b3a4d5e6f', role: 'admin', organisation_id: null, label: 'bootstrap',
    created_at: '2026-11-02T10:00:00.000Z', last_used_at: '2026-11-02T10:05:00.000Z', revoked_at: null }],
})
export type Key = Static<typeof KeySchema>

export const KeyPageSchema = Type.Object({
  items: Type.Array(Type.Ref('Key')),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass back as cursor for the next page; null on the last' }),
}, {
  $id: 'KeyPage',
  examples: [{ items: [{ id: '0b7e6f52-93a4-4f0e-9d55-1c2b3a4d5e6f', role: 'admin', organisation_id: null, label: 'bootstrap',
    created_at: '2026-11-02T10:00:00.000Z', last_used_at: null, revoked_at: null }], next_cursor: null }],
})

export const keySchemas = [Role, KeyCreateSchema, KeyCreatedSchema, KeySchema, KeyPageSchema]
