import t from 'tap'
import { build } from '../helper.ts'
import { connect } from '../../src/db/client.ts'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'

t.test('healthz and readyz answer when the database does', async (t) => {
  const { app } = await build(t)
  const h = await app.inject('/healthz')
  t.equal(h.statusCode, 200)
  t.same(h.json(), { status: 'ok' })
  const r = await app.inject('/readyz')
  t.equal(r.statusCode, 200)
  t.same(r.json(), { status: 'ready' })
})

t.test('readyz is a 503 problem when the database does not answer', async (t) => {
  // A server that is not there: nothing listens on port 1.
  const db = await connect({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 500 })
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), { db })
  t.teardown(() => app.close().then(() => db.close()))
  // the app's own start (compiling every route's schemas) is not what is timed
  await app.ready()
  const started = Date.now()
  const r = await app.inject('/readyz')
  t.ok(Date.now() - started < 3000, 'promptly')
  t.equal(r.statusCode, 503)
  t.match(r.headers['content-type'], /^application\/problem\+json/)
  t.ok(r.headers['retry-after'])
  t.match(r.json(), { type: '/problems/unavailable', title: 'Service unavailable', status: 503, detail: String })
  t.equal((await app.inject('/healthz')).statusCode, 200, 'liveness does not depend on the database')
})

t.test('docs and the OpenAPI document are served', async (t) => {
  const { app } = await build(t)
  const spec = await app.inject('/openapi.json')
  t.equal(spec.statusCode, 200)
  t.equal(spec.json().openapi, '3.1.0')
  const docs = await app.inject('/docs/')
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger/i)
})

t.test('vocabularies list every SPEC vocabulary with labels', async (t) => {
  const { app } = await build(t)
  const r = await app.inject('/v1/vocabularies')
  t.equal(r.statusCode, 200)
  const body = r.json()
  t.ok(body.accessibility.some((x: any) => x.code === 'step_free' && x.label))
  // SPEC §2's 15, and the five words for the people who wrote (autism, sensory, no phone, someone to go with, transport)
  t.equal(body.accessibility.length, 20)
  for (const code of ['autism_friendly', 'sensory_friendly', 'no_phone_needed', 'accompaniment', 'transport']) {
    t.ok(body.accessibility.some((x: any) => x.code === code && x.label && x.description), `${code}, labelled and described`)
  }
  t.same(body.period.map((x: any) => x.code), ['morning', 'afternoon', 'evening', 'night'])
  t.ok(body.delivery.some((x: any) => x.code === 'text_chat'), 'text_chat')
  t.equal(body.categories.length, 36)
  t.equal(body.needs.length, 20)
  t.equal(body.audience.length, 12)
})
