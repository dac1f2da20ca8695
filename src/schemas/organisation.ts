import Type, { type Static } from 'typebox'
import { NOT_BLANK } from './common.ts'

// Field primitives shared by the write schemas of organisations, keys, venues and schemes.
// SPEC §4 string limits: name 200, a scheme's or organisation's description 5000, others 500.

/** A UUID. maxLength keeps out the `urn:uuid:` form, which Ajv's format allows and PostgreSQL refuses. */
export const Uuid = (description = 'A UUID') =>
  Type.String({ format: 'uuid', maxLength: 36, description, examples: ['6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f'] })
/** Free text up to `max` characters. */
export const Text = (max = 500, options: Record<string, unknown> = {}) => Type.String({ maxLength: max, ...options })
/** A name: 1–200 characters, not all blank or invisible. */
export const Name = (options: Record<string, unknown> = {}) => Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK, ...options })
export const Email = Type.String({ format: 'email', maxLength: 500, description: 'An e-mail address', examples: ['hello@example.org.uk'] })
export const WebUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500, description: 'An http:// or https:// URL',
  examples: ['https://example.org.uk'] })
export const Phone = Type.String({ maxLength: 40,
  description: 'A UK phone number: 020 7946 0958, +44 20 7946 0958, 0800 123 4567, or a short number such as 116 123', examples: ['020 7946 0958'] })
export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339, UTC' })
export const Version = Type.Integer({ minimum: 1, description: 'Starts at 1 and grows by 1 with every change; the ETag is `"<version>"`' })

const organisationFields = {
  name: Name({ examples: ['Peckham Walking Friends'] }),
  charity_number: Type.Optional(Text(500, { description: 'Registered charity number, if any', examples: ['1234567'] })),
  website: Type.Optional(WebUrl),
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  description: Type.Optional(Text(5000)),
}

export const OrganisationWriteSchema = Type.Object(organisationFields, {
  $id: 'OrganisationWrite',
  additionalProperties: false,
  description: 'An organisation as written (POST). PATCH takes a JSON Merge Patch of these fields.',
  examples: [{ name: 'Peckham Walking Friends', charity_number: '1234567', website: 'https://peckhamwalking.org.uk',
    email: 'hello@peckhamwalking.org.uk', phone: '020 7946 0958' }],
})
export type OrganisationWrite = Static<typeof OrganisationWriteSchema>

export const OrganisationSchema = Type.Object({
  id: Uuid(),
  ...organisationFields,
  version: Version,
  created_at: Timestamp,
  updated_at: Timestamp,
}, {
  $id: 'Organisation',
  examples: [{ id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Peckham Walking Friends', website: 'https://peckhamwalking.org.uk', version: 1,
    created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-11-02T10:00:00.000Z' }],
})
export type Organisation = Static<typeof OrganisationSchema>

export const OrganisationPageSchema = Type.Object({
  items: Type.Array(Type.Ref('Organisation')),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass back as cursor for the next page; null on the last' }),
}, {
  $id: 'OrganisationPage',
  examples: [{ items: [{ id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', name: 'Peckham Walking Friends', version: 1,
    created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-11-02T10:00:00.000Z' }],
      next_cursor: 'WyJwZWNraGFtIHdhbGtpbmcgZnJpZW5kcyIsIjZmMWMyZDllLTRhNWItNGMzZC04ZTdmLTBhMWIyYzNkNGU1ZiJd' }],
})

/** Fields the server sets; a write body naming them is a 400 saying so. */
export const READ_ONLY_FIELDS = ['id', 'version', 'created_at', 'updated_at', 'last_verified_at', 'stale'] as const

export const organisationSchemas = [OrganisationWriteSchema, OrganisationSchema, OrganisationPageSchema]
