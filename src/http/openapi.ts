import Type from 'typebox'
import { problems } from '../schemas/common.ts'
import { Cursor, Limit } from '../schemas/common.ts'

/**
 * Route-schema pieces the routes share. A path id's example is a record of the demo directory
 * (src/seed/demo-examples.ts), so that "Try it out" in /docs finds it.
 */
export const idParams = (what: string, example: string) => Type.Object({ id: Type.String({ format: 'uuid', maxLength: 36,
  description: `The ${what} id`, examples: [example] }) }, { additionalProperties: false })
export const ListQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }, { additionalProperties: false })
export const secured = [{ apiKey: [] }]

/** Every write can also meet the body limit, a bad content type, the rate limit and an unavailable database. */
export const writeProblems = (...more: number[]) => problems(400, 401, 403, 413, 415, 429, 503, ...more)
export const readProblems = (...more: number[]) => problems(400, 401, 429, 503, ...more)

/** Request headers of conditional and idempotent writes, for the OpenAPI document. */
export const IfMatchHeader = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag from a GET, e.g. "3". Required: 428 without it, 412 when the resource has ' +
    'changed since. `*` matches any version: it skips that check (the example does, so that "Try it out" works; a client sends the ETag).',
    examples: ['*'] })),
})
/** If-Match where it is optional: the write goes ahead without it, and is a 412 when it names a version that is not the current one. */
export const OptionalIfMatchHeader = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag from a GET, e.g. "3". Optional here; when sent, 412 if the resource has changed since.' })),
})
export const IdempotencyHeader = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ maxLength: 255,
    description: 'Any unique string (a UUID): a retry with the same key and body gets the first answer back; with another body, a 422. Kept 24 hours.' })),
})
