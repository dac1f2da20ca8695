import type { ErrorObject, ValidateFunction } from 'ajv'
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
    httpPart === 'body' ? bodyValidator(schema) : finiteOnly(textAjv.compile(schema as any)))
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
