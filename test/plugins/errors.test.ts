import t from 'tap'
import Type from 'typebox'
import { build } from '../helper.ts'
import { ConflictError } from '../../src/errors.ts'

// A few throwaway routes exercise each path of the error plugin.
async function appWithProbes(t: any) {
  const built = await build(t)
  return built
}

t.test('unknown route → 404 problem+json', async (t) => {
  const { app } = await build(t)
  const r = await app.inject('/v1/nothing-here')
  t.equal(r.statusCode, 404)
  t.match(r.headers['content-type'], /^application\/problem\+json/)
  t.match(r.json(), { type: '/problems/not-found', title: 'Not found', status: 404, detail: /nothing-here/, request_id: String })
})

t.test('validation, typed errors, client errors and unexpected errors', async (t) => {
  const { db } = await appWithProbes(t)
  const { buildApp } = await import('../../src/app.ts')
  const { loadConfig } = await import('../../src/config.ts')
  const lines: string[] = []
  const { Writable } = await import('node:stream')
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'info' }), { db, logStream: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb() } }) })
  app.post('/probe', {
    schema: {
      body: Type.Object({ name: Type.String({ maxLength: 5 }), n: Type.Integer({ minimum: 0 }), nested: Type.Optional(Type.Object({ x: Type.Number() }, { additionalProperties: false })) }, { additionalProperties: false }),
      querystring: Type.Object({ r: Type.Optional(Type.Number({ minimum: 1, maximum: 10 })) }, { additionalProperties: false }),
    },
  }, async () => ({ ok: true }))
  app.get('/boom', async () => { throw new Error('secret internals: password=hunter2') })
  app.get('/conflict', async () => { throw new ConflictError('in use', { schemes: [{ id: 'a', name: 'b' }] }) })
  await app.ready()
  t.teardown(() => app.close())

  let r = await app.inject({ method: 'POST', url: '/probe', payload: { name: 'too long', n: -1, extra: 1, nested: { x: 'a', y: 1 } } })
  t.equal(r.statusCode, 400)
  t.match(r.headers['content-type'], /^application\/problem\+json/)
  const pointers = r.json().errors.map((e: any) => e.pointer).sort()
  t.same(pointers, ['/extra', '/n', '/name', '/nested/x', '/nested/y'], 'every bad field named, unknown ones included')

  r = await app.inject({ method: 'POST', url: '/probe', payload: { n: 1 } })
  t.same(r.json().errors, [{ pointer: '/name', message: "must have required property 'name'" }])

  r = await app.inject({ method: 'POST', url: '/probe', payload: { name: 'a', n: '5' } })
  t.equal(r.statusCode, 400, 'a JSON body is not coerced: "5" is not 5')

  for (const bad of ['1e309', '-Infinity', 'NaN', 'abc', '0', '11']) {
    r = await app.inject({ method: 'POST', url: `/probe?r=${bad}`, payload: { name: 'a', n: 1 } })
    t.equal(r.statusCode, 400, `r=${bad}`)
    t.same(r.json().errors.map((e: any) => e.parameter), ['r'])
  }
  r = await app.inject({ method: 'POST', url: '/probe?r=5&zzz=1', payload: { name: 'a', n: 1 } })
  t.same(r.json().errors, [{ parameter: 'zzz', message: 'unknown parameter' }])

  r = await app.inject({ method: 'POST', url: '/probe', headers: { 'content-type': 'application/json' }, payload: '{"name": ' })
  t.equal(r.statusCode, 400)
  t.match(r.json(), { status: 400, detail: 'The body is not valid JSON.' })

  r = await app.inject({ method: 'POST', url: '/probe', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), n: 1 }) })
  t.equal(r.statusCode, 413)
  t.match(r.headers['content-type'], /^application\/problem\+json/)

  r = await app.inject({ method: 'POST', url: '/probe', headers: { 'content-type': 'text/csv' }, payload: 'a,b' })
  t.equal(r.statusCode, 415)

  r = await app.inject('/conflict')
  t.equal(r.statusCode, 409)
  t.same(r.json().schemes, [{ id: 'a', name: 'b' }])

  r = await app.inject('/boom')
  t.equal(r.statusCode, 500)
  const body = r.json()
  t.match(body, { type: '/problems/internal', status: 500, request_id: String })
  t.notMatch(r.body, /hunter2|secret|stack/, 'no internals in the body')
  const logged = lines.map((l) => JSON.parse(l)).find((l) => l.level === 50)
  t.ok(logged, 'the 500 is logged')
  t.equal(logged.reqId, body.request_id, 'with the request id')
})

t.test('request logs never carry postcode, lat or lon', async (t) => {
  const { app, logs } = await build(t)
  await app.inject('/v1/vocabularies?postcode=SE15%204AA&LAT=51.47&lon=-0.07&radius_m=500')
  const text = JSON.stringify(logs)
  t.notMatch(text, /SE15|51\.47|-0\.07/)
  t.match(text, /radius_m=500/, 'other parameters are kept')
})
