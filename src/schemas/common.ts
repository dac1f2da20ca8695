import Type, { type Static, type TSchema } from 'typebox'

/**
 * A pattern a name-like text must match: at least one character that is neither white space
 * nor an invisible zero-width one (U+200B–U+200D, U+2060, U+FEFF), so that a name that
 * shows as nothing is refused. The one definition, used by every name schema.
 */
export const NOT_BLANK = '[^\\s\\u200b-\\u200d\\u2060\\ufeff]'

export const Id = Type.String({ $id: 'Id', format: 'uuid', maxLength: 36, description: 'A UUID', examples: ['6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f'] })

export const ProblemItemSchema = Type.Object({
  pointer: Type.Optional(Type.String({ description: 'RFC 6901 JSON Pointer into the request body' })),
  parameter: Type.Optional(Type.String({ description: 'query or path parameter' })),
  header: Type.Optional(Type.String({ description: 'request header' })),
  message: Type.String(),
}, { $id: 'ProblemItem' })

export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'URI reference naming the kind of problem' }),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  instance: Type.Optional(Type.String()),
  request_id: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Ref('ProblemItem'))),
  schemes: Type.Optional(Type.Array(Type.Object({ id: Type.String(), name: Type.String() }),
    { description: '409 on a venue delete: the schemes still using it' })),
}, {
  $id: 'Problem',
  additionalProperties: true,
  description: 'RFC 9457 problem details, served as application/problem+json',
  examples: [{ type: '/problems/validation', title: 'Invalid request', status: 400, detail: 'Check radius_m.',
    errors: [{ parameter: 'radius_m', message: 'must be <= 200000' }] }],
})
export type Problem = Static<typeof ProblemSchema>

/** Response entries for the error statuses a route can return, each a problem+json body. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {}
  for (const s of statuses) out[s] = Type.Ref('Problem', { description: STATUS_TEXT[s] ?? 'Error' })
  return out
}
const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request: `errors` names every bad field, parameter or header',
  401: 'Missing or invalid API key',
  403: 'The key may not do this',
  404: 'Not found',
  409: 'Conflict',
  410: 'Deleted',
  412: 'If-Match does not match the current ETag',
  413: 'Body larger than 1 MiB',
  415: 'Unsupported content type',
  422: 'Well-formed but cannot be processed',
  428: 'If-Match is required',
  429: 'Rate limit reached; see Retry-After',
  500: 'Unexpected error',
  503: 'Database unavailable or service overloaded; see Retry-After',
}

export const Cursor = Type.String({ maxLength: 1000, description: 'Opaque cursor from next_cursor' })
export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 })

/** The list envelope shared by the native list endpoints. */
export function Page<T extends TSchema>(item: T, $id: string) {
  return Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) }, { $id })
}

/** All shared schemas, registered once with Fastify and both Ajv instances. */
export const commonSchemas = [Id, ProblemItemSchema, ProblemSchema]
