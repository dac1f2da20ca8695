import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifyInstance, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'
import type { TSchema } from 'typebox'

const addFormats = (addFormatsModule as any).default ?? addFormatsModule

// Two validators. Bodies are JSON and are never coerced: "5" is not 5, "true" is not true.
// Query strings, path parameters and headers arrive as text and are coerced.
// removeAdditional is off so additionalProperties:false rejects unknown fields instead of
// silently dropping them; strictNumbers rejects NaN and ±Infinity (1e309), which would
// otherwise slip past minimum/maximum; allErrors names every bad field at once.
const base: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strictNumbers: true, strict: false, messages: true }

export function makeAjv(schemas: TSchema[], coerce: boolean): Ajv {
  const ajv = new Ajv({ ...base, coerceTypes: coerce ? 'array' : false })
  addFormats(ajv)
  ajv.addKeyword({ keyword: 'x-examples' })
  for (const s of schemas) ajv.addSchema(s as any)
  return ajv
}

export default fp(async function validation(app: FastifyInstance, opts: { schemas: TSchema[] }) {
  for (const s of opts.schemas) app.addSchema(s as any)
  const bodyAjv = makeAjv(opts.schemas, false)
  const textAjv = makeAjv(opts.schemas, true)
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    httpPart === 'body' ? bodyAjv.compile(schema as any) : finiteOnly(textAjv.compile(schema as any)))
}, { name: 'validation' })

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
