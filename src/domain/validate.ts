import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { TSchema } from 'typebox'
import type { ProblemItem } from '../errors.ts'
import { allSchemas } from '../schemas/index.ts'
import { loggableName } from '../logging.ts'
import { escapePointer } from './ids.ts'

/**
 * The contract's validators, in a home that neither HTTP nor the importer owns: the
 * validation plugin compiles route schemas with them, and the write use-cases check
 * documents with the very same compiled functions, so a rule cannot differ between the
 * API and an in-process writer.
 */

const addFormats = (addFormatsModule as any).default ?? addFormatsModule

// Bodies are JSON and are never coerced: "5" is not 5, "true" is not true. Query strings,
// path parameters and headers arrive as text and are coerced.
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

let bodies: Ajv | undefined
/** The one Ajv for JSON documents (request bodies and importer rows), built once. */
export function documentAjv(): Ajv {
  bodies ??= makeAjv(allSchemas, false)
  return bodies
}

/** The compiled validator of a registered schema ($id). */
export function documentValidator(schemaId: string): ValidateFunction {
  const v = documentAjv().getSchema(schemaId)
  if (!v) throw new Error(`no schema ${schemaId}`)
  return v
}

/**
 * What a route's validation found in a body it checked with documentValidator: the
 * use-case takes it instead of running the same check a second time.
 */
export interface ShapeVerdict {
  errors: readonly ErrorObject[]
}

/** The fields of an Ajv error that problem items are made from (Fastify's copy has them too). */
export interface AjvErrorLike {
  keyword: string
  instancePath: string
  params: Record<string, any>
  message?: string
}

/** Ajv's errors, each turned into {pointer|parameter|header, message}. */
export function validationItems(validation: readonly AjvErrorLike[], context: string | undefined): ProblemItem[] {
  const seen = new Set<string>()
  const items: ProblemItem[] = []
  for (const e of validation) {
    const params = e.params as Record<string, any>
    let path = e.instancePath ?? ''
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'required') path += '/' + escapePointer(params.missingProperty)
    else if (e.keyword === 'additionalProperties') {
      // An unknown query parameter's name may itself be a postcode or coordinates: only a
      // plain name is echoed (and logged).
      path += '/' + (context === 'body' ? escapePointer(params.additionalProperty) : loggableName(escapePointer(params.additionalProperty)))
      message = context === 'body' ? 'unknown field' : 'unknown parameter'
    } else if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be one of: ${params.allowedValues.join(', ')}`
    } else if (e.keyword === 'errorMessage' || e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      // an anyOf/oneOf restates its branches' errors; keep the branch messages only
      if (validation.length > 1) continue
    }
    const item: ProblemItem = { message }
    if (context === 'body') item.pointer = path
    else if (context === 'headers') item.header = path.split('/')[1] ?? ''
    else item.parameter = path.split('/')[1] ?? ''
    const key = JSON.stringify(item)
    if (seen.has(key)) continue
    seen.add(key)
    items.push(item)
  }
  return items
}

