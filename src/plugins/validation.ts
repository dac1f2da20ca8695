import type { Ajv, ErrorObject, ValidateFunction } from 'ajv'
import type { FastifyInstance, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'
import type { TSchema } from 'typebox'
import { documentAjv, documentValidator, makeAjv } from '../domain/validate.ts'

export { makeAjv }

/**
 * A body that is one registered schema ($ref) is checked by the domain's compiled validator
 * for it, the one the write use-cases and the importer use: a write route hands its verdict
 * to the use-case (src/http/body.ts) instead of the body being checked twice.
 */
function bodyValidator(schema: FastifySchema): ValidateFunction {
  const ref = (schema as { $ref?: unknown }).$ref
  if (typeof ref === 'string' && Object.keys(schema).length === 1) return documentValidator(ref)
  return documentAjv().compile(schema as any)
}

export default fp(async function validation(app: FastifyInstance, opts: { schemas: TSchema[] }) {
  for (const s of opts.schemas) app.addSchema(s as any)
  const textAjv = makeAjv(opts.schemas, true)
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    httpPart === 'body' ? bodyValidator(schema) : strictNumbers(finiteOnly(textAjv.compile(schema as any)), numericFields(textAjv, schema)))
}, { name: 'validation' })

/**
 * Ajv coerces any text Number() accepts: "0x10", " 51.5", "1e3", "+5", "007", "Infinity"
 * (and "1e309", which then slips past minimum and maximum as Infinity). A query or path
 * value declared a number must be written as one, plainly: checked on the text before
 * Ajv coerces it, and reported with Ajv's own errors so that a route sees them together.
 */
const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/
const WHOLE = /^-?(0|[1-9]\d*)$/
const NUMERIC_MESSAGE = {
  number: 'must be a plain decimal number such as 51.5 or -0.12 (no spaces, +, exponent, hex or leading zeros)',
  integer: 'must be a plain whole number such as 5 (no spaces, +, decimals, exponent, hex or leading zeros)',
}
type Numeric = keyof typeof NUMERIC_MESSAGE

/** The properties of a query or params schema that are numbers or integers (or lists of them). */
export function numericFields(ajv: Ajv, schema: unknown): Map<string, Numeric> {
  const out = new Map<string, Numeric>()
  const resolve = (s: any): any => (s && typeof s.$ref === 'string' ? ajv.getSchema(s.$ref)?.schema : s)
  const kind = (s: any): Numeric | undefined => {
    s = resolve(s)
    if (!s || typeof s !== 'object') return undefined
    const types = Array.isArray(s.type) ? s.type : [s.type]
    if (types.includes('integer')) return 'integer'
    if (types.includes('number')) return 'number'
    if (s.items) return kind(s.items)
    for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) { const k = kind(branch); if (k) return k }
    return undefined
  }
  const root = resolve(schema)
  for (const [name, prop] of Object.entries(root?.properties ?? {})) {
    const k = kind(prop)
    if (k) out.set(name, k)
  }
  return out
}

export function strictNumbers(validate: ValidateFunction, numeric: Map<string, Numeric>): ValidateFunction {
  const wrapped = function (data: unknown) {
    const bad: ErrorObject[] = []
    if (data !== null && typeof data === 'object') {
      for (const [k, v] of Object.entries(data)) {
        const want = numeric.get(k)
        if (!want) continue
        const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')
        const pattern = want === 'integer' ? WHOLE : DECIMAL
        if (values.some((x) => !pattern.test(x))) {
          bad.push({ instancePath: '/' + k, schemaPath: '#/strictNumber', keyword: 'strictNumber', params: {}, message: NUMERIC_MESSAGE[want] })
        }
      }
    }
    const ok = validate(data)
    if (bad.length === 0) { wrapped.errors = validate.errors; return ok }
    const named = new Set(bad.map((e) => e.instancePath))
    wrapped.errors = [...(validate.errors ?? []).filter((e) => !named.has(e.instancePath)), ...bad]
    return false
  } as ValidateFunction
  return wrapped
}

/**
 * Ajv coerces "1e309" and "-Infinity" to ±Infinity and then lets them past minimum and
 * maximum. Query and path values are flat, so one pass after validation catches them.
 */
export function finiteOnly(validate: ValidateFunction): ValidateFunction {
  const wrapped = function (data: unknown) {
    const ok = validate(data)
    wrapped.errors = validate.errors
    if (!ok || data === null || typeof data !== 'object') return ok
    const bad: ErrorObject[] = []
    for (const [k, v] of Object.entries(data)) {
      const values = Array.isArray(v) ? v : [v]
      if (values.some((x) => typeof x === 'number' && !Number.isFinite(x))) {
        bad.push({ instancePath: '/' + k, schemaPath: '#/finite', keyword: 'finite', params: {}, message: 'must be a finite number' })
      }
    }
    if (bad.length === 0) return true
    wrapped.errors = bad
    return false
  } as ValidateFunction
  return wrapped
}
