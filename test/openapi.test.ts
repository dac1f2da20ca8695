import t from 'tap'
import { readFileSync, existsSync } from 'node:fs'
import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { build } from './helper.ts'
import { OPENAPI_FILE, renderOpenApi } from '../scripts/export-openapi.ts'

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module
const addFormats = (addFormatsModule as any).default ?? addFormatsModule
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']

/** The document the running code produces (the same rendering npm run openapi writes). */
async function liveDocument(t: any): Promise<{ text: string; doc: any }> {
  const { app } = await build(t)
  const text = renderOpenApi(app)
  return { text, doc: JSON.parse(text) }
}

function operations(doc: any): Array<{ name: string; op: any }> {
  return Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m] })))
}

t.test('the committed openapi/openapi.json is what the code produces', async (t) => {
  const { text } = await liveDocument(t)
  const committed = existsSync(OPENAPI_FILE) ? readFileSync(OPENAPI_FILE, 'utf8') : ''
  if (committed === text) return t.pass('no drift')
  const a = committed.split('\n')
  const b = text.split('\n')
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  t.fail(`openapi/openapi.json is out of date: run \`npm run openapi\` and commit it.\n` +
    `First difference at line ${i + 1}:\n  committed: ${a[i]?.trim() ?? '(end of file)'}\n  code:      ${b[i]?.trim() ?? '(end of file)'}`)
})

t.test('every operation is documented, with problem+json for its errors', async (t) => {
  const { doc } = await liveDocument(t)
  t.equal(doc.openapi, '3.1.0')
  const ids = new Set<string>()
  const ops = operations(doc)
  t.ok(ops.length > 10, `${ops.length} operations`)
  for (const { name, op } of ops) {
    const missing = ['operationId', 'summary', 'description'].filter((k) => typeof op[k] !== 'string' || op[k].trim() === '')
    if (!Array.isArray(op.tags) || op.tags.length === 0) missing.push('tags')
    t.same(missing, [], `${name}: operationId, tags, summary, description`)
    t.notOk(ids.has(op.operationId), `${name}: operationId ${op.operationId} is unique`)
    ids.add(op.operationId)
    const statuses = Object.keys(op.responses ?? {})
    t.ok(statuses.some((s) => /^2/.test(s)), `${name}: documents its success`)
    for (const s of statuses.filter((x) => Number(x) >= 400)) {
      const content = op.responses[s].content ?? {}
      t.same(Object.keys(content), ['application/problem+json'], `${name} ${s}: application/problem+json`)
      t.equal(content['application/problem+json']?.schema?.$ref, '#/components/schemas/Problem', `${name} ${s}: a Problem`)
    }
    // input that can be invalid can be a 400, so the 400 must be documented
    if ((op.parameters ?? []).some((p: any) => p.in !== 'header' || p.required) || op.requestBody) {
      t.ok(statuses.includes('400'), `${name}: takes input, documents 400`)
    }
    if (op.security?.length) t.ok(statuses.includes('401'), `${name}: needs a key, documents 401`)
    // request and response examples, in the media type or in the (referenced) schema
    const hasExample = (media: any) => {
      if (!media || 'example' in media || media.examples) return true
      const ref: string | undefined = media.schema?.$ref
      const schema = ref ? doc.components.schemas[ref.split('/').pop()!] : media.schema
      return Array.isArray(schema?.examples) && schema.examples.length > 0
    }
    for (const s of statuses.filter((x) => /^2/.test(x))) t.ok(hasExample(op.responses[s].content?.['application/json']), `${name} ${s}: has an example`)
    if (op.requestBody) {
      for (const [type, media] of Object.entries<any>(op.requestBody.content)) t.ok(hasExample(media), `${name} ${type} body: has an example`)
    }
  }
})

t.test('every example in the document is valid against its own schema', async (t) => {
  const { doc } = await liveDocument(t)
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema(doc, 'openapi.json')
  const pointer = (path: string[]) => '#' + path.map((p) => '/' + encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('')
  let checked = 0
  const check = (schemaPath: string[], example: unknown, where: string) => {
    const validate = ajv.compile({ $ref: `openapi.json${pointer(schemaPath)}` })
    const ok = validate(example)
    checked++
    t.ok(ok, `${where}${ok ? '' : ': ' + ajv.errorsText(validate.errors)}`)
  }
  // Schemas carry `examples` (JSON Schema); parameters and media types carry `example`/`examples` (OpenAPI).
  const walk = (node: any, path: string[]) => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, [...path, String(i)]))
    if (node === null || typeof node !== 'object') return
    const parent = path[path.length - 1]
    const isMedia = path[path.length - 2] === 'content'
    const isParameter = path[path.length - 2] === 'parameters'
    if ((isMedia || isParameter) && node.schema) {
      if ('example' in node) check([...path, 'schema'], node.example, `${path.join(' ')} example`)
      for (const [k, ex] of Object.entries<any>(node.examples ?? {})) check([...path, 'schema'], ex.value, `${path.join(' ')} examples ${k}`)
    } else if (Array.isArray(node.examples) && parent !== 'properties') {
      node.examples.forEach((ex: unknown, i: number) => check(path, ex, `${path.join(' ')} examples[${i}]`))
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'example' && k !== 'examples') walk(v, [...path, k])
  }
  walk(doc, [])
  t.ok(checked > 10, `${checked} examples checked`)
})

t.test('a bad example would be caught', async (t) => {
  // the checker above must be able to fail: an example that breaks its schema
  const ajv = new Ajv2020({ strict: false })
  addFormats(ajv)
  ajv.addSchema({ components: { schemas: { X: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], examples: [{ id: 'nope' }] } } } }, 'doc.json')
  t.notOk(ajv.compile({ $ref: 'doc.json#/components/schemas/X' })({ id: 'nope' }))
})
