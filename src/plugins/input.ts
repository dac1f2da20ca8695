import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { UnsupportedMediaTypeError, ValidationError, type ProblemItem } from '../errors.ts'
import { jsonDepthExceeds, MAX_JSON_DEPTH, printable, textProblem, textProblems } from '../domain/text-rules.ts'

/** JSON bodies: plain JSON, and JSON Merge Patch (RFC 7396) for PATCH. Nothing else is read. */
export const JSON_TYPES = ['application/json', 'application/merge-patch+json']

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i

/**
 * What the service reads from a request, checked once for every route before any route
 * sees it (docs/security.md, "Input rules"):
 * - bodies are JSON (or merge-patch JSON) in UTF-8, not compressed: anything else is 415;
 * - a body nesting deeper than MAX_JSON_DEPTH is refused before it is parsed, so no
 *   recursive walk after it (validation, hashing, merging) can overflow the stack;
 * - no string anywhere in a body, a query string or a path holds NUL or a lone surrogate.
 */
export default fp(async function input(app: FastifyInstance) {
  // Fastify also reads text/plain by default: a JSON route would then say "must be object".
  app.removeAllContentTypeParsers()
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    const charset = CHARSET.exec(String(request.headers['content-type'] ?? ''))?.[1]?.toLowerCase()
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return done(new UnsupportedMediaTypeError('Send JSON in UTF-8: charset, when given, must be utf-8.'), undefined)
    }
    const text = body as string
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      return done(new ValidationError([{ pointer: '', message: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep` }]), undefined)
    }
    parseJson(request, text, (err, value) => {
      if (err) return done(err, undefined)
      const bad = textProblems(value)
      done(bad.length > 0 ? new ValidationError(bad) : null, value)
    })
  })

  // A compressed body would be read as if it were JSON text: refuse it instead.
  app.addHook('preParsing', async (request) => {
    const encoding = request.headers['content-encoding']
    if (encoding === undefined || !hasBody(request)) return
    if (String(encoding).split(',').some((e) => e.trim().toLowerCase() !== 'identity')) {
      throw new UnsupportedMediaTypeError('Send the body uncompressed: Content-Encoding must be identity or absent.', 'content-encoding')
    }
  })

  // Query strings and path parameters of every route, with a schema or not.
  app.addHook('preValidation', async (request) => {
    const bad = [...parameterProblems(request.query), ...parameterProblems(request.params)]
    if (bad.length > 0) throw new ValidationError(bad)
  })
}, { name: 'input', dependencies: ['errors'] })

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** NUL or lone surrogates in a parameter's name or any of its values, naming the parameter. */
function parameterProblems(values: unknown): ProblemItem[] {
  if (values === null || typeof values !== 'object') return []
  const out: ProblemItem[] = []
  for (const [name, value] of Object.entries(values)) {
    const why = textProblem(name) ?? (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? textProblem(v) : undefined)).find(Boolean)
    if (why) out.push({ parameter: printable(name), message: why })
  }
  return out
}
