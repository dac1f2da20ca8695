import t from 'tap'
import { Writable } from 'node:stream'
import { build, freshDb, TEST_LIMITS } from '../../helper.ts'
import { call, createOrganisation, createScheme } from '../../fixtures/api.ts'
import { receiver } from '../../fixtures/receiver.ts'
import { freePort } from '../../fixtures/ports.ts'
import { verifySignature } from '../../../src/feeds/webhooks/signature.ts'
import { buildApp } from '../../../src/app.ts'
import { loadConfig } from '../../../src/config.ts'

// Deliveries to real HTTP receivers on 127.0.0.1: signed, in order per resource, retried with
// back-off, and nothing lost when a receiver is down or Signpost restarts.

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '40', WEBHOOK_RETRY_MAX_MS: '200', WEBHOOK_TIMEOUT_MS: '1500' }

async function subscribe(app: any, key: string, url: string, events = ['scheme.created', 'scheme.updated', 'scheme.deleted']) {
  const res = await call(app, 'POST', '/v1/webhooks', { key, body: { url, events } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json() as { id: string; secret: string }
}

t.test('each change arrives signed, once, in order, with the document as GET shows it', async (t) => {
  const { app } = await build(t, FAST)
  const hook = await receiver()
  t.teardown(hook.close)
  const { key } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const sub = await subscribe(app, key, hook.url)
  const s = await createScheme(app, key)
  await createScheme(app, other.key) // another organisation's: not for this subscription
  await call(app, 'PATCH', `/v1/schemes/${s.id}`, { key, body: { name: 'Evening Walk' }, headers: { 'if-match': '*' } })
  const shown = (await call(app, 'GET', `/v1/schemes/${s.id}`)).json()
  await hook.until(2) // the document goes with the delivery as it is when the change is taken from the outbox
  await call(app, 'DELETE', `/v1/schemes/${s.id}`, { key, headers: { 'if-match': '*' } })
  await hook.until(3)

  t.same(hook.got.map((r) => [r.json.event, r.json.id]), [['scheme.created', s.id], ['scheme.updated', s.id], ['scheme.deleted', s.id]])
  t.same(hook.got[1].json.data, shown, 'data is the document as GET showed it then')
  t.equal(hook.got[2].json.data, null, 'a deletion carries no document')
  const now = Math.floor(Date.now() / 1000)
  for (const r of hook.got) {
    t.ok(verifySignature(sub.secret, String(r.headers['signpost-signature']), r.body, now), 'signed with the subscription\'s secret')
    t.notOk(verifySignature(sub.secret, String(r.headers['signpost-signature']), r.body, now + 3600), 'and refused as a replay an hour later')
    t.notOk(verifySignature(sub.secret, String(r.headers['signpost-signature']), r.body.replace('scheme', 'schemx'), now), 'and refused when the body is altered')
    t.equal(r.headers['signpost-delivery'], r.json.delivery_id)
  }
  const log = (await call(app, 'GET', `/v1/webhooks/${sub.id}/deliveries`, { key })).json().items
  t.same(log.map((d: any) => [d.event, d.status, d.attempts, d.last_status_code]),
    [['scheme.deleted', 'delivered', 1, 204], ['scheme.updated', 'delivered', 1, 204], ['scheme.created', 'delivered', 1, 204]])
  t.equal(hook.got.length, 3, 'nothing else arrived')
})

t.test('a slow receiver is retried after a timeout; a failing one is turned off, its changes kept', async (t) => {
  const { app } = await build(t, { ...FAST, WEBHOOK_TIMEOUT_MS: '300', WEBHOOK_DISABLE_AFTER: '3' })
  const slow = await receiver((n) => ({ status: 200, delayMs: n === 1 ? 2000 : 100 }))
  const failing = await receiver(() => ({ status: 500 }))
  t.teardown(slow.close)
  t.teardown(failing.close)
  const { key } = await createOrganisation(app)
  const s1 = await subscribe(app, key, slow.url, ['scheme.created'])
  const s2 = await subscribe(app, key, failing.url, ['scheme.created'])
  const scheme = await createScheme(app, key)
  await slow.until(2)
  await failing.until(3)
  const slowLog = await waitFor(async () => {
    const items = (await call(app, 'GET', `/v1/webhooks/${s1.id}/deliveries`, { key })).json().items
    return items[0]?.status === 'delivered' && items
  })
  t.match(slowLog[0], { event: 'scheme.created', resource_id: scheme.id, status: 'delivered', attempts: 2, last_status_code: 200 })
  const off = await waitFor(async () => {
    const w = (await call(app, 'GET', `/v1/webhooks/${s2.id}`, { key })).json()
    return w.active === false && w
  })
  t.match(off, { active: false, consecutive_failures: 3, disabled_reason: /3 deliveries in a row failed; the last: answered 500/ })
  const failedLog = (await call(app, 'GET', `/v1/webhooks/${s2.id}/deliveries`, { key })).json().items
  t.match(failedLog, [{ status: 'pending', attempts: 3, last_status_code: 500, last_error: 'answered 500' }])
  t.equal(failing.got.length, 3, 'nothing sent once it is off')
  t.same(slow.got.map((r) => r.json.delivery_id), [slowLog[0].id, slowLog[0].id], 'the retry is the same delivery')
})

t.test('a receiver that is down gets everything, in order, when it comes back', async (t) => {
  const { app } = await build(t, FAST)
  const port = await freePort()
  const { key } = await createOrganisation(app)
  const sub = await subscribe(app, key, `http://127.0.0.1:${port}/hook`)
  const a = await createScheme(app, key)
  await call(app, 'PATCH', `/v1/schemes/${a.id}`, { key, body: { name: 'Renamed' }, headers: { 'if-match': '*' } })
  const b = await createScheme(app, key)
  await waitFor(async () => (await call(app, 'GET', `/v1/webhooks/${sub.id}/deliveries`, { key })).json().items.some((d: any) => d.attempts >= 2))
  const hook = await receiver(() => ({ status: 200 }), port)
  t.teardown(hook.close)
  await hook.until(3)
  const perA = hook.got.filter((r) => r.json.id === a.id).map((r) => r.json.event)
  t.same(perA, ['scheme.created', 'scheme.updated'], 'in change order for each scheme')
  t.same(hook.got.filter((r) => r.json.id === b.id).map((r) => r.json.event), ['scheme.created'])
})

t.test('a restart of Signpost loses nothing', async (t) => {
  const db = await freshDb(t)
  const hook = await receiver(() => ({ status: 200 }))
  t.teardown(hook.close)
  const start = async (worker: boolean) => {
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...TEST_LIMITS, ...FAST, FEED_WORKER: String(worker) }),
      { db, logStream: new Writable({ write: (_c, _e, cb) => cb() }) })
    await app.ready()
    return app
  }
  const first = await start(false) // writes, and stops before any delivery
  const { key } = await createOrganisation(first)
  await subscribe(first, key, hook.url, ['scheme.created'])
  const made = [await createScheme(first, key), await createScheme(first, key)]
  await first.close()
  t.equal(hook.got.length, 0)
  const second = await start(true)
  t.teardown(() => second.close())
  await hook.until(2)
  t.same(hook.got.map((r) => r.json.id).sort(), made.map((s) => s.id).sort())
})

/** Asks `check` again (every 25 ms) until it answers something truthy; the test's own timeout bounds it. */
async function waitFor<T>(check: () => Promise<T | false | undefined>): Promise<T> {
  for (;;) {
    const v = await check()
    if (v) return v
    await new Promise((r) => setTimeout(r, 25))
  }
}
