import t from 'tap'
import { build } from '../helper.ts'
import { adminKey, call, createKey, createOrganisation, createScheme } from '../fixtures/api.ts'
import { DEMO_WEBHOOK_URL } from '../../src/seed/demo-examples.ts'

// Webhook subscriptions through the API: who may make which, what is refused, and where a
// webhook may not be sent. Deliveries: test/feeds/webhooks/delivery.test.ts.

t.test('a publisher subscribes for its own organisation; the secret is shown once', async (t) => {
  const { app } = await build(t)
  const mine = await createOrganisation(app)
  const other = await createOrganisation(app)
  const res = await call(app, 'POST', '/v1/webhooks', { key: mine.key, body: { url: DEMO_WEBHOOK_URL, events: ['scheme.created'] } })
  t.equal(res.statusCode, 201, res.body)
  const created = res.json()
  t.match(created, { url: DEMO_WEBHOOK_URL, events: ['scheme.created'], organisation_id: mine.organisation.id, active: true, consecutive_failures: 0 })
  t.match(created.secret, /^whsec_[A-Za-z0-9_-]{43}$/)
  t.equal(res.headers.location, `/v1/webhooks/${created.id}`)
  const got = await call(app, 'GET', `/v1/webhooks/${created.id}`, { key: mine.key })
  t.equal(got.statusCode, 200)
  t.notOk('secret' in got.json(), 'the secret is not shown again')

  const theirs = await call(app, 'POST', '/v1/webhooks', { key: mine.key, body: { url: DEMO_WEBHOOK_URL, events: ['scheme.created'], organisation_id: other.organisation.id } })
  t.equal(theirs.statusCode, 403, 'not for another organisation')
  t.equal((await call(app, 'GET', `/v1/webhooks/${created.id}`, { key: other.key })).statusCode, 404, 'another publisher does not see it')
  t.same((await call(app, 'GET', '/v1/webhooks', { key: other.key })).json().items, [])
  const reader = await createKey(app, mine.admin, { role: 'reader' })
  t.equal((await call(app, 'GET', '/v1/webhooks', { key: reader.key })).statusCode, 403, 'a reader key may not')
  t.equal((await call(app, 'POST', '/v1/webhooks', { body: { url: DEMO_WEBHOOK_URL, events: ['scheme.created'] } })).statusCode, 401)

  const admin = await adminKey(app)
  const all = await call(app, 'POST', '/v1/webhooks', { key: admin, body: { url: DEMO_WEBHOOK_URL, events: ['venue.updated', 'organisation.created'] } })
  t.equal(all.statusCode, 201)
  t.equal(all.json().organisation_id, null, 'an admin\'s subscription without an organisation is for all')
  t.same((await call(app, 'GET', '/v1/webhooks', { key: admin })).json().items.map((w: any) => w.id).sort(), [created.id, all.json().id].sort())

  const off = await call(app, 'PATCH', `/v1/webhooks/${created.id}`, { key: mine.key, body: { active: false } })
  t.match(off.json(), { active: false, disabled_reason: 'turned off by its owner' })
  const on = await call(app, 'PATCH', `/v1/webhooks/${created.id}`, { key: mine.key, body: { active: true, events: ['scheme.deleted'] } })
  t.match(on.json(), { active: true, disabled_reason: null, events: ['scheme.deleted'] })
  t.same((await call(app, 'GET', `/v1/webhooks/${created.id}/deliveries`, { key: mine.key })).json(), { items: [], next_cursor: null })
  t.equal((await call(app, 'DELETE', `/v1/webhooks/${created.id}`, { key: other.key })).statusCode, 404)
  t.equal((await call(app, 'DELETE', `/v1/webhooks/${created.id}`, { key: mine.key })).statusCode, 204)
  t.equal((await call(app, 'GET', `/v1/webhooks/${created.id}`, { key: mine.key })).statusCode, 404)
})

t.test('bad subscriptions are refused, every field named, nothing written', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  // Tried: not a URL, another scheme, no events, an unknown event, an event twice, an unknown field, a bad organisation id.
  const res = await call(app, 'POST', '/v1/webhooks', { key, body: { url: 'ftp://example.org.uk/x', events: ['scheme.exploded', 'scheme.exploded'], colour: 'red', organisation_id: 'nope' } })
  t.equal(res.statusCode, 400)
  const pointers = res.json().errors.map((e: any) => e.pointer)
  for (const p of ['/url', '/events/0', '/colour', '/organisation_id']) t.ok(pointers.some((x: string) => x?.startsWith(p.split('/').slice(0, 2).join('/'))), `names ${p}: ${pointers}`)
  t.equal((await call(app, 'POST', '/v1/webhooks', { key, body: { url: 'https://example.org.uk/x', events: [] } })).statusCode, 400)
  t.equal((await call(app, 'PATCH', '/v1/webhooks/00000000-0000-4000-8000-000000000000', { key, body: {} })).statusCode, 400, 'an empty change')
  t.same((await call(app, 'GET', '/v1/webhooks', { key })).json().items, [])
})

t.test('a URL that reaches a private, loopback or link-local address is refused', async (t) => {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  for (const url of ['http://127.0.0.1:9/hook', 'https://127.0.0.1/hook', 'https://localhost/hook', 'https://10.1.2.3/hook', 'https://192.168.0.10/hook',
    'https://172.20.0.1/hook', 'https://169.254.169.254/latest/meta-data', 'https://[::1]/hook', 'https://[fe80::1]/hook', 'https://[fd00::5]/hook',
    'https://[::ffff:127.0.0.1]/hook', 'https://0.0.0.0/hook', 'https://100.64.0.1/hook', 'https://user:secret@example.org.uk/hook']) {
    const res = await call(app, 'POST', '/v1/webhooks', { key, body: { url, events: ['scheme.created'] } })
    t.equal(res.statusCode, 400, url)
    t.equal(res.json().errors?.[0]?.pointer, '/url', url)
  }
  const created = await call(app, 'POST', '/v1/webhooks', { key, body: { url: DEMO_WEBHOOK_URL, events: ['scheme.created'] } })
  const moved = await call(app, 'PATCH', `/v1/webhooks/${created.json().id}`, { key, body: { url: 'https://127.0.0.2/hook' } })
  t.equal(moved.statusCode, 400, 'nor may a subscription be moved there')
})

t.test('WEBHOOK_ALLOW_PRIVATE lets a development setup use a local receiver', async (t) => {
  const { app } = await build(t, { WEBHOOK_ALLOW_PRIVATE: 'true' })
  const { key } = await createOrganisation(app)
  const res = await call(app, 'POST', '/v1/webhooks', { key, body: { url: 'http://127.0.0.1:9/hook', events: ['scheme.created'] } })
  t.equal(res.statusCode, 201)
  await createScheme(app, key)
})
