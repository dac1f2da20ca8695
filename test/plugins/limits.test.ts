import t from 'tap'
import { Writable } from 'node:stream'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { UnauthorizedError } from '../../src/errors.ts'
import { bucketKey } from '../../src/plugins/limits.ts'
import { freshDb, TEST_LIMITS } from '../helper.ts'
import { insertKey } from '../../src/repositories/keys.ts'

// An app on a fresh database with the given settings, plus two probe routes: a write
// that answers 201, and a write that answers 401 unless the key is "good-key".
async function appWith(t: any, env: Record<string, string>) {
  const db = await freshDb(t)
  const lines: Array<Record<string, any>> = []
  const logStream = new Writable({ write(c, _e, cb) { for (const l of String(c).split('\n')) if (l.trim()) lines.push(JSON.parse(l)); cb() } })
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'info', ...TEST_LIMITS, ...env }), { db, logStream })
  app.post('/probe', async (_req, reply) => reply.code(201).send({ ok: true }))
  app.post('/guarded', async (req) => {
    if (req.headers.authorization !== 'Bearer good-key') throw new UnauthorizedError()
    return { ok: true }
  })
  await app.ready()
  t.teardown(() => app.close())
  return { app, lines }
}

const isProblem = (t: any, r: any, status: number) => {
  t.equal(r.statusCode, status)
  t.match(r.headers['content-type'], /^application\/problem\+json/)
  t.equal(r.json().status, status)
}

t.test('reads: the 4th GET in a minute from one address is a 429 problem with Retry-After', async (t) => {
  const { app } = await appWith(t, { RATE_LIMIT_READ_PER_MINUTE: '3' })
  for (let i = 0; i < 3; i++) {
    const r = await app.inject({ url: '/v1/vocabularies', remoteAddress: '203.0.113.7' })
    t.equal(r.statusCode, 200, `read ${i + 1}`)
    t.equal(r.headers['x-ratelimit-limit'], '3')
    t.equal(r.headers['x-ratelimit-remaining'], String(2 - i))
  }
  const r = await app.inject({ url: '/v1/vocabularies', remoteAddress: '203.0.113.7' })
  isProblem(t, r, 429)
  t.match(r.json(), { type: '/problems/rate-limited', title: 'Too many requests', detail: /Try again in \d+ s/, request_id: String })
  const after = Number(r.headers['retry-after'])
  t.ok(after >= 1 && after <= 60, `Retry-After ${after} is within the minute`)
  t.notMatch(r.body, /stack|node_modules/)

  const other = await app.inject({ url: '/v1/vocabularies', remoteAddress: '203.0.113.8' })
  t.equal(other.statusCode, 200, 'another address has its own budget')
  t.equal((await app.inject({ url: '/healthz', remoteAddress: '203.0.113.7' })).statusCode, 200, 'liveness is never limited')
  t.equal((await app.inject({ url: '/readyz', remoteAddress: '203.0.113.7' })).statusCode, 200, 'readiness is never limited')
})

t.test('each API key has its own budget, counted by a hash of the key', async (t) => {
  const { app, lines } = await appWith(t, { RATE_LIMIT_READ_PER_MINUTE: '2' })
  const get = (key: string) => app.inject({ url: '/v1/vocabularies', remoteAddress: '198.51.100.1', headers: { authorization: `Bearer ${key}` } })
  const keyA = (await insertKey(app.db, { role: 'admin', label: 'a' })).key
  const keyB = (await insertKey(app.db, { role: 'admin', label: 'b' })).key
  t.equal((await get(keyA)).statusCode, 200)
  t.equal((await get(keyA)).statusCode, 200)
  t.equal((await get(keyA)).statusCode, 429, 'key A used its 2 reads')
  t.equal((await get(keyB)).statusCode, 200, 'key B from the same address is not affected')
  t.equal((await app.inject({ url: '/v1/vocabularies', remoteAddress: '198.51.100.1' })).statusCode, 200, 'nor the address without a key')

  const fake = { ip: '198.51.100.1', method: 'GET', headers: { authorization: `Bearer ${keyA}` } } as any
  const bucket = bucketKey(fake)
  t.notOk(bucket.includes(keyA), 'the bucket never holds the key itself')
  t.match(bucket, /^key:[0-9a-f]{64}:r$/)
  t.notOk(JSON.stringify(lines).includes(keyA) || JSON.stringify(lines).includes(keyB), 'no log line carries a key')
})

t.test('writes have their own, lower budget', async (t) => {
  const { app } = await appWith(t, { RATE_LIMIT_READ_PER_MINUTE: '100', RATE_LIMIT_WRITE_PER_MINUTE: '2' })
  const post = () => app.inject({ method: 'POST', url: '/probe', remoteAddress: '192.0.2.1', payload: {} })
  t.equal((await post()).statusCode, 201)
  t.equal((await post()).statusCode, 201)
  const r = await post()
  isProblem(t, r, 429)
  t.match(r.json().detail, /Too many writes/)
  t.ok(Number(r.headers['retry-after']) >= 1)
  t.equal((await app.inject({ url: '/v1/vocabularies', remoteAddress: '192.0.2.1' })).statusCode, 200, 'reads still allowed')
})

t.test('an address that keeps sending bad keys is refused before the keys are checked', async (t) => {
  const { app } = await appWith(t, { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' })
  // bad inputs: three made-up keys, each of which would get a fresh rate-limit bucket
  for (let i = 0; i < 3; i++) {
    const r = await app.inject({ method: 'POST', url: '/guarded', remoteAddress: '192.0.2.9', headers: { authorization: `Bearer guess-${i}` } })
    t.equal(r.statusCode, 401, `guess ${i}`)
  }
  const r = await app.inject({ method: 'POST', url: '/guarded', remoteAddress: '192.0.2.9', headers: { authorization: 'Bearer guess-4' } })
  isProblem(t, r, 429)
  t.match(r.json().detail, /failed authentication/)
  t.ok(Number(r.headers['retry-after']) >= 1)
  const good = await app.inject({ method: 'POST', url: '/guarded', remoteAddress: '192.0.2.10', headers: { authorization: 'Bearer good-key' } })
  t.equal(good.statusCode, 200, 'another address is unaffected')
  const anon = await app.inject({ url: '/v1/vocabularies', remoteAddress: '192.0.2.9' })
  t.equal(anon.statusCode, 200, 'public reads without a key still work from that address')
})

t.test('under pressure: memory over the threshold sheds every request but liveness with a 503 problem', async (t) => {
  const { app } = await appWith(t, { PRESSURE_MAX_HEAP_USED_MB: '1', PRESSURE_SAMPLE_INTERVAL_MS: '10', PRESSURE_RETRY_AFTER_S: '7' })
  await new Promise((r) => setTimeout(r, 100)) // let a sample be taken
  const r = await app.inject('/v1/vocabularies')
  isProblem(t, r, 503)
  t.equal(r.headers['retry-after'], '7')
  t.match(r.json(), { type: '/problems/overloaded', title: 'Service unavailable' })
  isProblem(t, await app.inject('/readyz'), 503)
  t.equal((await app.inject('/healthz')).statusCode, 200, 'liveness still answers: the process is alive, just busy')
})

t.test('under pressure: a blocked event loop sheds load, then the service recovers', async (t) => {
  const { app } = await appWith(t, { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '50', PRESSURE_SAMPLE_INTERVAL_MS: '250', PRESSURE_RETRY_AFTER_S: '3' })
  let idle = 0
  for (let i = 0; i < 50 && idle !== 200; i++) {
    idle = (await app.inject('/v1/vocabularies')).statusCode
    if (idle !== 200) await new Promise((r) => setTimeout(r, 100))
  }
  t.equal(idle, 200, 'idle: served')
  let shed: any
  for (let attempt = 0; attempt < 10 && !shed; attempt++) {
    const until = Date.now() + 1000
    while (Date.now() < until) { /* hold the event loop */ }
    // the overdue sampler runs first and sees the stall; ask before its next sample
    await new Promise((r) => setTimeout(r, 5))
    const r = await app.inject('/v1/vocabularies')
    if (r.statusCode === 503) shed = r
  }
  t.ok(shed, 'a request right after a 1 s stall is shed')
  if (shed) {
    t.match(shed.headers['content-type'], /^application\/problem\+json/)
    t.equal(shed.headers['retry-after'], '3')
  }
  let recovered = false
  for (let i = 0; i < 30 && !recovered; i++) {
    await new Promise((r) => setTimeout(r, 100))
    recovered = (await app.inject('/v1/vocabularies')).statusCode === 200
  }
  t.ok(recovered, 'served again once the loop is idle')
})

t.test('security headers, and the docs page still loads its scripts and styles', async (t) => {
  const { app } = await appWith(t, {})
  const r = await app.inject('/v1/vocabularies')
  t.equal(r.headers['x-content-type-options'], 'nosniff')
  t.equal(r.headers['x-frame-options'], 'SAMEORIGIN')
  t.match(r.headers['strict-transport-security'], /max-age=\d+/)
  t.equal(r.headers['cross-origin-resource-policy'], 'cross-origin', 'open data may be loaded from other origins')
  const csp = String(r.headers['content-security-policy'])
  t.match(csp, /default-src 'self'/)
  t.match(csp, /script-src 'self'(;|$)/, 'no inline or remote scripts')
  t.match(csp, /object-src 'none'/)
  t.notMatch(csp, /upgrade-insecure-requests/)

  const page = await app.inject('/docs/')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-security-policy'], /script-src 'self'/)
  t.notMatch(page.body, /<script>(?!\s*<\/script>)|<script\s+(?![^>]*src=)/, 'the page has no inline scripts the CSP would block')
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])
  t.ok(assets.length >= 4)
  for (const a of assets) {
    t.notMatch(a, /^(https?:)?\/\//, `${a} is same-origin`)
    const res = await app.inject('/docs/' + a.replace(/^\.\//, ''))
    t.equal(res.statusCode, 200, `${a} is served`)
  }
})

t.test('CORS: reads open to every origin, writes only to configured origins', async (t) => {
  const { app } = await appWith(t, { CORS_WRITE_ORIGINS: 'https://pcn.example, https://admin.example' })
  let r = await app.inject({ url: '/v1/vocabularies', headers: { origin: 'https://anyone.example' } })
  t.equal(r.headers['access-control-allow-origin'], '*')
  t.match(r.headers['access-control-expose-headers'], /ETag/)

  r = await app.inject({ method: 'OPTIONS', url: '/v1/vocabularies', headers: { origin: 'https://anyone.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } })
  t.equal(r.statusCode, 204, 'read preflight answered')
  t.equal(r.headers['access-control-allow-origin'], '*')
  t.match(r.headers['access-control-allow-headers'], /Authorization/)

  // bad inputs: a write preflight and a write from an origin that is not configured
  r = await app.inject({ method: 'OPTIONS', url: '/probe', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  t.equal(r.headers['access-control-allow-origin'], undefined, 'write preflight from an unknown origin: no permission')
  r = await app.inject({ method: 'POST', url: '/probe', headers: { origin: 'https://evil.example' }, payload: {} })
  t.equal(r.headers['access-control-allow-origin'], undefined)

  r = await app.inject({ method: 'OPTIONS', url: '/probe', headers: { origin: 'https://pcn.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,if-match,content-type' } })
  t.equal(r.statusCode, 204)
  t.equal(r.headers['access-control-allow-origin'], 'https://pcn.example')
  t.match(r.headers['access-control-allow-methods'], /PATCH/)
  t.match(r.headers['access-control-allow-headers'], /If-Match/)
  t.match(r.headers.vary, /Origin/)
  r = await app.inject({ method: 'POST', url: '/probe', headers: { origin: 'https://admin.example' }, payload: {} })
  t.equal(r.headers['access-control-allow-origin'], 'https://admin.example')
})

t.test('writes from a browser are refused by default (no write origins configured)', async (t) => {
  const { app } = await appWith(t, {})
  const r = await app.inject({ method: 'OPTIONS', url: '/probe', headers: { origin: 'https://pcn.example', 'access-control-request-method': 'DELETE' } })
  t.equal(r.headers['access-control-allow-origin'], undefined)
})

t.test('limit settings are validated like every other setting', async (t) => {
  t.throws(() => loadConfig({ RATE_LIMIT_READ_PER_MINUTE: '0' }), /RATE_LIMIT_READ_PER_MINUTE/)
  t.throws(() => loadConfig({ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '-5', PRESSURE_RETRY_AFTER_S: 'soon' }), /PRESSURE_MAX_EVENT_LOOP_DELAY_MS.*PRESSURE_RETRY_AFTER_S/)
  t.match(loadConfig({}), { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: 30, PRESSURE_RETRY_AFTER_S: 10 })
  t.equal(loadConfig({}).PRESSURE_MAX_EVENT_LOOP_DELAY_MS, undefined, 'unset: chosen by database kind')
})

t.test('a path parameter over the router limit is a 414 problem, not Fastify\'s own JSON', async (t) => {
  const { app } = await appWith(t, {})
  app.log.level = 'silent'
  // bad input: a 3000-character id on a parameterised route
  const long = 'x'.repeat(3000)
  const r = await app.inject(`/v1/schemes/${long}`)
  isProblem(t, r, 414)
  t.match(r.json(), { type: '/problems/http-414', title: 'URI too long', request_id: String })
  t.notMatch(r.body, /xxxxxxxxxx/, 'the long value is not echoed')
})
