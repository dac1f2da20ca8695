/**
 * What the route schemas cannot say, added to the generated OpenAPI document in one place:
 * the response headers each operation sends, and that reads take a key when the deployment
 * sets READS_REQUIRE_KEY. Each rule here mirrors the code that sends the header.
 */

const header = (description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ description, schema })

export const RESPONSE_HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  ETag: header('The resource\'s version as an entity tag, e.g. "3" (send it back in If-Match); on lists and searches a hash of the body'),
  Location: header('The URL of the resource just made', { type: 'string', format: 'uri-reference' }),
  RetryAfter: header('Seconds to wait before trying again', { type: 'integer', minimum: 0 }),
  RateLimitLimit: header('Requests allowed per minute for this key or address (reads and writes are counted apart)', { type: 'integer', minimum: 0 }),
  RateLimitRemaining: header('Requests left in the current minute', { type: 'integer', minimum: 0 }),
  RateLimitReset: header('Seconds until the count starts again', { type: 'integer', minimum: 0 }),
  IdempotentReplayed: header('true when this is the stored answer to an earlier request with the same Idempotency-Key', { type: 'string', enum: ['true'] }),
}
const ref = (name: string) => ({ $ref: `#/components/headers/${name}` })

// src/plugins/limits.ts: every route but the probes is rate-limited, and @fastify/rate-limit
// sends its three headers on every answer of those routes; 429 and shed 503s add Retry-After.
const UNLIMITED = new Set(['/healthz', '/readyz'])
// the routes that answer GET with an ETag (defaultEtag in src/http/etag.ts, or the version)
const ETAG_PATHS = /^\/v1\/(schemes|venues|organisations|keys)(\/|$)/

const METHODS = ['get', 'put', 'post', 'delete', 'patch']

const IF_NONE_MATCH = {
  in: 'header', name: 'If-None-Match', required: false,
  description: 'An ETag from an earlier answer (weak comparison; * matches any): 304 with no body while it is current',
  schema: { type: 'string', maxLength: 1000 }, example: '"3"',
}

export function declareResponseHeaders(doc: any): any {
  doc.components ??= {}
  doc.components.headers = { ...(doc.components.headers ?? {}), ...RESPONSE_HEADERS }
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op?.responses) continue
      const idempotent = (op.parameters ?? []).some((p: any) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')
      for (const [status, response] of Object.entries<any>(op.responses)) {
        const code = Number(status)
        const headers: Record<string, unknown> = { ...(response.headers ?? {}) }
        if (!UNLIMITED.has(path)) Object.assign(headers,
          { 'X-RateLimit-Limit': ref('RateLimitLimit'), 'X-RateLimit-Remaining': ref('RateLimitRemaining'), 'X-RateLimit-Reset': ref('RateLimitReset') })
        if (code === 429 || code === 503) headers['Retry-After'] = ref('RetryAfter')
        if (code === 201) headers.Location = ref('Location')
        // writes answer with the new version's ETag (src/http/respond.ts: ok, created)
        if ((code === 200 || code === 201) && ETAG_PATHS.test(path) && (method === 'get' || response.content?.['application/json']?.schema?.$ref?.match(/Scheme|Venue|Organisation$/))) headers.ETag = ref('ETag')
        if (idempotent && code >= 200 && code < 300) headers['Idempotent-Replayed'] = ref('IdempotentReplayed')
        if (Object.keys(headers).length > 0) response.headers = headers
      }
      // a GET that carries an ETag answers 304 to If-None-Match naming it (src/http/etag.ts defaultEtag)
      if (method === 'get' && ETAG_PATHS.test(path) && op.responses['200']) {
        op.parameters = [...(op.parameters ?? []), IF_NONE_MATCH]
        op.responses['304'] = { description: 'Not modified: the ETag in If-None-Match is current (no body)', headers: { ETag: ref('ETag') } }
      }
      // READS_REQUIRE_KEY (src/plugins/auth.ts): a read may need a key on some deployments
      if (method === 'get' && !op.security && /^\/(v1|oruk)(\/|$)/.test(path)) op.security = [{}, { apiKey: [] }]
      // the root and the probes never look at a key
      else if (!op.security) op.security = []
    }
  }
  return doc
}
