import { readFileSync } from 'node:fs'
import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module
const addFormats = (addFormatsModule as any).default ?? addFormatsModule
const dir = new URL('../../fixtures/oruk-schemas/', import.meta.url)
const load = (file: string) => JSON.parse(readFileSync(new URL(file, dir), 'utf8'))

/**
 * Validators built as the ORUK validator builds them: ORUK's own schemas, JSON Schema
 * 2020-12, strict off for HSDS's extra keywords, formats (uuid, uri, email, date-time) on.
 */
export function orukValidators() {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema(load('taxonomy_term.json'), 'taxonomy_term.json')
  ajv.addSchema(load('taxonomy.json'), 'taxonomy.json')
  const openapi = load('openapi.json')
  // ORUK's Page lists no required fields; a feed that left one out would fail its validator's
  // pagination checks, so the envelope is checked whole here.
  const pageSchema = { ...openapi.components.schemas.Page, required: Object.keys(openapi.components.schemas.Page.properties) }
  const pageOf = (item: object) => ({ allOf: [pageSchema], properties: { contents: { type: 'array', items: item } }, required: ['contents'] })
  const compile = (schema: object) => {
    const v = ajv.compile(schema)
    return (body: unknown): string[] => (v(body) ? [] : (v.errors ?? []).map((e: any) => `${e.instancePath} ${e.message}`))
  }
  return {
    apiInfo: compile({ ...openapi.paths['/'].get.responses['200'].content['application/json'].schema, required: ['version', 'profile', 'openapi_url'] }),
    servicePage: compile(pageOf(load('service_list.json'))),
    service: compile(load('service.json')),
    salPage: compile(pageOf(load('service_at_location_list.json'))),
    sal: compile(load('service_at_location.json')),
    taxonomyPage: compile(pageOf({ $ref: 'taxonomy.json' })),
    taxonomy: compile({ $ref: 'taxonomy.json' }),
    termPage: compile(pageOf({ $ref: 'taxonomy_term.json' })),
    term: compile({ $ref: 'taxonomy_term.json' }),
  }
}
