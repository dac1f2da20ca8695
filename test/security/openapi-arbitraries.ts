import fc from 'fast-check'

/**
 * fast-check arbitraries from an OpenAPI 3.1 document: values valid against a JSON Schema
 * (as far as the keywords used in Signpost's spec go), and ways of breaking them.
 */
export type Spec = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, any> } }

export function resolve(spec: Spec, schema: any): any {
  let s = schema
  for (let i = 0; s && s.$ref && i < 20; i++) {
    const name = String(s.$ref).replace(/^#\/components\/schemas\//, '').replace(/#$/, '')
    s = { ...spec.components?.schemas?.[name], ...withoutRef(s) }
  }
  return s ?? {}
}
function withoutRef(s: any) { const { $ref: _r, ...rest } = s; return rest }

// Distinctive places, so that a leak of one into a log line or body is recognisable.
export const postcodeArb = fc.constantFrom('SE15 4AA', 'SW1A 1AA', 'M1 1AE', 'EH1 1YZ', 'CF10 1EP', 'B33 8TH', 'BT1 1AA', 'ZZ99 9ZZ', 'LS1', 'se154aa', 'SE15 4')
export const latArb = fc.integer({ min: 499000000, max: 589000000 }).map((n) => n / 1e7 + 1e-8)
export const lonArb = fc.integer({ min: -79000000, max: 17000000 }).map((n) => n / 1e7 - 1e-8)

const isoDate = (d: Date) => d.toISOString().slice(0, 10)
const dateArb = fc.integer({ min: -400, max: 500 }).map((days) => isoDate(new Date(Date.now() + days * 86400000)))
const timeArb = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)

/** A value for the named field: places and times get realistic values more often. */
function byName(name: string | undefined): fc.Arbitrary<unknown> | undefined {
  if (name === 'postcode') return postcodeArb
  if (name === 'lat') return latArb
  if (name === 'lon') return lonArb
  return undefined
}

export function valueArb(spec: Spec, raw: any, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const named = byName(name)
  if (named) return fc.oneof({ weight: 3, arbitrary: named }, { weight: 1, arbitrary: schemaArb(spec, raw, depth) })
  return schemaArb(spec, raw, depth)
}

function schemaArb(spec: Spec, raw: any, depth: number): fc.Arbitrary<unknown> {
  const s = resolve(spec, raw)
  if (depth > 6) return fc.constant(null)
  if (s.const !== undefined) return fc.constant(s.const)
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum)
  const branches = s.anyOf ?? s.oneOf
  if (Array.isArray(branches) && branches.length) return fc.oneof(...branches.map((b: any) => schemaArb(spec, { ...withoutBranches(s), ...b }, depth + 1)))
  if (Array.isArray(s.allOf) && s.allOf.length) return schemaArb(spec, Object.assign({}, ...s.allOf.map((x: any) => resolve(spec, x)), withoutBranches(s)), depth + 1)
  const examples = Array.isArray(s.examples) && s.examples.length ? s.examples : undefined
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : []
  if (types.length === 0) return examples ? fc.constantFrom(...examples) : fc.jsonValue({ maxDepth: 2 })
  const arbs = types.map((t) => typed(spec, s, t, depth))
  const generated = arbs.length === 1 ? arbs[0] : fc.oneof(...arbs)
  return examples ? fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...examples) }, { weight: 2, arbitrary: generated }) : generated
}
function withoutBranches(s: any) { const { anyOf: _a, oneOf: _o, allOf: _l, ...rest } = s; return rest }

function typed(spec: Spec, s: any, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null': return fc.constant(null)
    case 'boolean': return fc.boolean()
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000000)
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1000000)
      return fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) })
    }
    case 'number': {
      const min = s.minimum ?? -1e6
      const max = s.maximum ?? 1e6
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
    }
    case 'string': return stringArb(s)
    case 'array': {
      const item = schemaArb(spec, s.items ?? {}, depth + 1)
      const minLength = s.minItems ?? 0
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 3, 3))
      return s.uniqueItems ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(item, { minLength, maxLength })
    }
    case 'object': {
      const props: Record<string, any> = s.properties ?? {}
      const required: string[] = s.required ?? []
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const [k, v] of Object.entries(props)) model[k] = valueArb(spec, v, k, depth + 1)
      if (Object.keys(model).length === 0) return fc.constant({})
      return fc.record(model, { requiredKeys: required.filter((k) => k in model) })
    }
    default: return fc.constant(null)
  }
}

function stringArb(s: any): fc.Arbitrary<string> {
  const maxLength = Math.min(s.maxLength ?? 40, 60)
  const minLength = Math.min(s.minLength ?? 0, maxLength)
  switch (s.format) {
    case 'uuid': return fc.uuid()
    case 'date': return dateArb
    case 'date-time': return dateArb.map((d) => `${d}T12:00:00Z`)
    case 'email': return fc.emailAddress()
    case 'uri': case 'url': return fc.webUrl()
  }
  if (s.pattern) {
    if (/\[01\]\[0-9\]\|2\[0-3\]/.test(s.pattern)) return timeArb
    try { return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= (s.maxLength ?? 1e9) && x.length >= (s.minLength ?? 0)) } catch { /* fall through */ }
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' })
}

/** A value of a different kind from what the schema asks for, or an awkward one. */
export const wrongValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, -0.5, '', ' ', 'x'.repeat(6000), '1e309', 'NaN', '-Infinity', '\u0000', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '{}', '[]', 'null', '\uD800', 'ǅ̸̨'),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
)

/** Text for a query parameter or header that is not what it should be. */
export const wrongTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'abc', '1e309', 'NaN', '-Infinity', '-1', '0', '99999999999999999999', '1.5', 'true', 'mon,,sat', ',', '%', '%00', '%ZZ', 'x'.repeat(3000), '2026-02-30', '25:00', 'SE15 4AA; DROP TABLE schemes', '../..', '\u202e'),
  fc.string({ maxLength: 20 }),
)

/** Mutates an object body: drops a required field, adds an unknown one, breaks a field's type, or nests the damage. */
export function breakBody(body: unknown, required: string[]): fc.Arbitrary<unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return wrongValueArb
  const obj = body as Record<string, unknown>
  const keys = Object.keys(obj)
  const options: fc.Arbitrary<unknown>[] = [
    fc.constant({ ...obj, zz_unknown_field: 1 }),
    wrongValueArb,
    fc.constantFrom({ ...obj, id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' }, { ...obj, version: 99 }, { ...obj, created_at: '2020-01-01T00:00:00Z' }, { ...obj, last_verified_at: '2020-01-01T00:00:00Z' }, { ...obj, organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f' }),
  ]
  if (required.length) options.push(fc.constantFrom(...required).map((k) => { const c = { ...obj }; delete c[k]; return c }))
  if (keys.length) {
    options.push(fc.tuple(fc.constantFrom(...keys), wrongValueArb).map(([k, v]) => ({ ...obj, [k]: v })))
    options.push(fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...keys), wrongValueArb).map(([a, b, v]) => {
      const inner = obj[a]
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) return { ...obj, [a]: { ...(inner as object), [b]: v } }
      if (Array.isArray(inner) && inner.length && inner[0] && typeof inner[0] === 'object') return { ...obj, [a]: [{ ...(inner[0] as object), [b]: v }, ...inner.slice(1)] }
      return { ...obj, [a]: v }
    }))
  }
  return fc.oneof(...options)
}
