/**
 * "Try it out" at first touch: every operation of the OpenAPI document, sent as /docs sends
 * it with the fields as they come (each parameter's example or default, the request body's
 * example) and an admin key in Authorize, against the demo directory, answers its documented
 * success status. Reads go first, then creates, updates and deletes, as a newcomer would
 * walk down the page; each example names records of the demo (src/seed/demo-examples.ts).
 */
import t from 'tap'
import { build } from './helper.ts'
import { seedDemo } from '../src/seed/demo.ts'

const ADMIN = 'try-it-out-admin-key-0123456789abcdefghij'
const ORDER: Record<string, number> = { get: 0, post: 1, patch: 2, put: 3, delete: 4 }

t.test('every operation succeeds with the values /docs fills in, on the demo directory', async (t) => {
  const { app, db } = await build(t, { ADMIN_API_KEY: ADMIN })
  await seedDemo(db)
  const doc = app.swagger() as any
  const schemas = doc.components.schemas
  const resolve = (s: any) => (s?.$ref ? schemas[s.$ref.split('/').pop()] : s)

  const ops: Array<{ method: string; path: string; op: any }> = []
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) if (method in ORDER) ops.push({ method, path, op })
  }
  ops.sort((a, b) => ORDER[a.method] - ORDER[b.method])
  t.ok(ops.length >= 37, `${ops.length} operations`)

  for (const { method, path, op } of ops) {
    const name = `${method.toUpperCase()} ${path} (${op.operationId})`
    let url = path
    const query = new URLSearchParams()
    const headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }
    for (const p of op.parameters ?? []) {
      // what the page puts in the field: the example, else the schema's default, else nothing
      const value = p.example ?? p.schema?.examples?.[0] ?? p.schema?.default
      if (value === undefined) {
        t.notOk(p.required, `${name}: required ${p.in} parameter ${p.name} has an example`)
        continue
      }
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)))
      else if (p.in === 'query') query.set(p.name, String(value))
      else if (p.in === 'header') headers[p.name.toLowerCase()] = String(value)
    }
    let payload: string | undefined
    const media = op.requestBody?.content?.['application/json']
    if (media) {
      const body = media.example ?? resolve(media.schema)?.examples?.[0] ?? resolve(media.schema)?.example
      t.ok(body !== undefined, `${name}: the request body has an example`)
      payload = JSON.stringify(body)
      headers['content-type'] = 'application/json'
    }
    const qs = query.toString()
    const res = await app.inject({ method: method.toUpperCase() as any, url: qs ? `${url}?${qs}` : url, headers, payload })
    const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s)).sort()[0]
    t.equal(String(res.statusCode), success, `${name}: ${success}`, { body: res.body.slice(0, 600), url, payload })
  }
})

t.test('no example a client would send is a date in the past', async (t) => {
  const { app } = await build(t)
  const doc = app.swagger() as any
  const today = new Date().toISOString().slice(0, 10)
  const past: string[] = []
  const walk = (v: unknown, where: string) => {
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && v.slice(0, 10) < today) past.push(`${where}: ${v}`)
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}/${i}`))
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${where}/${k}`)
  }
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      for (const p of op.parameters ?? []) walk([p.example, p.examples, p.schema?.examples], `${method} ${path} ${p.name}`)
      for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) walk(media.example, `${method} ${path} body ${type}`)
    }
  }
  // the write models' own examples (what a body's example comes from)
  for (const name of ['SchemeWrite', 'SessionWrite', 'VenueWrite', 'OrganisationWrite', 'KeyCreate']) walk(doc.components.schemas[name], name)
  t.same(past, [], 'none')
})
