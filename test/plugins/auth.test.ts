import t from 'tap'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { fileURLToPath } from 'node:url'
import { build, freshDb, SERVER_URL, TEST_LIMITS, withDatabase } from '../helper.ts'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { connect } from '../../src/db/client.ts'
import { keysCreate } from '../../scripts/keys-create.ts'
import { hashKey } from '../../src/repositories/keys.ts'
import { adminKey, call, createKey, createOrganisation } from '../fixtures/api.ts'

const BOOT = 'bootstrap-admin-key-for-tests-0123456789abcdef'

t.test('keys are long random strings, stored only as a SHA-256 hash', async (t) => {
  const { app, db } = await build(t)
  const admin = await adminKey(app)
  const a = await createKey(app, admin, { role: 'reader' })
  const b = await createKey(app, admin, { role: 'reader' })
  t.match(a.key, /^sp_[A-Za-z0-9_-]{43}$/, '"sp_" and 32 random bytes, base64url')
  t.not(a.key, b.key)
  const rows = await db.query<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [a.id])
  t.equal(rows[0].key_hash, hashKey(a.key), 'the hash is kept')
  const all = JSON.stringify(await db.query('SELECT * FROM api_keys'))
  t.notMatch(all, a.key, 'the secret itself is stored nowhere')
})

t.test('writes need a valid key: missing, malformed, unknown and revoked keys are 401', async (t) => {
  const { app } = await build(t)
  const admin = await adminKey(app)
  const revoked = await createKey(app, admin, { role: 'admin' })
  t.equal((await call(app, 'DELETE', `/v1/keys/${revoked.id}`, { key: admin })).statusCode, 204)
  const body = { name: 'Anyone' }
  const cases: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['a Basic scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['Bearer without a key', { authorization: 'Bearer ' }],
    ['an unknown key', { authorization: 'Bearer sp_not-a-real-key-at-all-0000000000000000000' }],
    ['a key with characters keys never have', { authorization: 'Bearer sp_<script>' }],
    ['a revoked key', { authorization: `Bearer ${revoked.key}` }],
  ]
  for (const [what, headers] of cases) {
    const r = await call(app, 'POST', '/v1/organisations', { body, headers })
    t.equal(r.statusCode, 401, what)
    t.match(r.headers['content-type'], /^application\/problem\+json/, what)
    t.equal(r.headers['www-authenticate'], 'Bearer', what)
    t.match(r.json(), { type: '/problems/unauthorized', status: 401, detail: String }, what)
  }
  const revokedAnswer = await call(app, 'POST', '/v1/organisations', { body, key: revoked.key })
  t.match(revokedAnswer.json().detail, /revoked/, 'a revoked key is told so')
  t.equal((await call(app, 'POST', '/v1/organisations', { body, key: admin })).statusCode, 201, 'a good key passes')
  t.equal((await call(app, 'POST', '/v1/organisations', { body, headers: { authorization: `bearer   ${admin}` } })).statusCode, 201, 'the scheme name is case-insensitive')
})

t.test('a key that is sent must be valid on reads too; reads without a key are public by default', async (t) => {
  const { app } = await build(t)
  t.equal((await call(app, 'GET', '/v1/organisations')).statusCode, 200)
  t.equal((await call(app, 'GET', '/v1/organisations', { key: 'sp_wrong' })).statusCode, 401)
  t.equal((await call(app, 'GET', '/healthz', { key: 'sp_wrong' })).statusCode, 200, 'health probes ignore keys')
})

t.test('wrong role is 403', async (t) => {
  const { app } = await build(t)
  const { key: publisher, admin } = await createOrganisation(app)
  const reader = await createKey(app, admin, { role: 'reader' })
  for (const [who, key] of [['publisher', publisher], ['reader', reader.key]]) {
    const r = await call(app, 'POST', '/v1/organisations', { key, body: { name: 'x' } })
    t.equal(r.statusCode, 403, `${who} cannot create organisations`)
    t.match(r.json(), { type: '/problems/forbidden', detail: new RegExp(`${who} key`) })
  }
  t.equal((await call(app, 'POST', '/v1/venues', { key: reader.key, body: {} })).statusCode, 403, 'a reader cannot write venues')
})

t.test('last_used_at is kept, written at most once a minute', async (t) => {
  const { app, db } = await build(t)
  const admin = await adminKey(app)
  const k = await createKey(app, admin, { role: 'reader' })
  const read = async () => (await db.query<{ last_used_at: string | null }>('SELECT last_used_at FROM api_keys WHERE id = $1', [k.id]))[0].last_used_at
  t.equal(await read(), null, 'never used')
  await call(app, 'GET', '/v1/organisations', { key: k.key })
  const first = await read()
  t.ok(first, 'stamped on first use')
  await call(app, 'GET', '/v1/organisations', { key: k.key })
  t.equal(await read(), first, 'not rewritten within the minute')
  await db.query("UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1", [k.id])
  const old = await read()
  await call(app, 'GET', '/v1/organisations', { key: k.key })
  t.not(await read(), old, 'stamped again after a minute')
  const listed = (await call(app, 'GET', `/v1/keys/${k.id}`, { key: admin })).json()
  t.ok(listed.last_used_at, 'shown to admins')
})

t.test('ADMIN_API_KEY bootstraps an admin once; a revoked bootstrap key stays revoked', async (t) => {
  const { app, db } = await build(t, { ADMIN_API_KEY: BOOT })
  const r = await call(app, 'POST', '/v1/organisations', { key: BOOT, body: { name: 'Bootstrapped' } })
  t.equal(r.statusCode, 201)
  const again = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...TEST_LIMITS, ADMIN_API_KEY: BOOT }), { db })
  await again.ready()
  t.teardown(() => again.close())
  const rows = await db.query<{ role: string; label: string }>('SELECT role, label FROM api_keys')
  t.same(rows, [{ role: 'admin', label: 'bootstrap' }], 'one row however often the app starts')
  await db.query('UPDATE api_keys SET revoked_at = now()')
  const third = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...TEST_LIMITS, ADMIN_API_KEY: BOOT }), { db })
  await third.ready()
  t.teardown(() => third.close())
  t.equal((await call(third, 'POST', '/v1/organisations', { key: BOOT, body: { name: 'x' } })).statusCode, 401, 'restarting does not revive it')
})

t.test('READS_REQUIRE_KEY: every /v1 read needs a key of any role; health and docs stay open', async (t) => {
  const { app } = await build(t, { READS_REQUIRE_KEY: 'true' })
  const admin = await adminKey(app)
  const reader = await createKey(app, admin, { role: 'reader' })
  for (const url of ['/v1/organisations', '/v1/venues', '/v1/vocabularies', '/v1/schemes?q=walk', '/v1/schemes/6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f']) {
    t.equal((await call(app, 'GET', url)).statusCode, 401, `${url} without a key`)
    t.not((await call(app, 'GET', url, { key: reader.key })).statusCode, 401, `${url} with a reader key`)
  }
  t.equal((await call(app, 'GET', '/v1/organisations', { key: reader.key })).statusCode, 200)
  t.equal((await call(app, 'GET', '/healthz')).statusCode, 200)
  t.equal((await call(app, 'GET', '/openapi.json')).statusCode, 200)
})

t.test('keys:create makes a key of each role, printed once, and names bad flags', async (t) => {
  const db = await freshDb(t)
  const lines = { log: [] as string[], error: [] as string[] }
  const out = { log: (s: string) => lines.log.push(s), error: (s: string) => lines.error.push(s) }
  t.equal(await keysCreate(['--role', 'admin', '--label', 'ops'], db, out), 0)
  t.equal(lines.log.length, 1, 'the key alone on stdout')
  const [key] = lines.log
  t.match(key, /^sp_[A-Za-z0-9_-]{43}$/)
  t.match(lines.error.join('\n'), /shown this once/)
  const [org] = await db.query<{ id: string }>("INSERT INTO organisations (name) VALUES ('Org') RETURNING id")
  t.equal(await keysCreate(['--role', 'publisher', '--organisation', org.id], db, out), 0)
  t.equal(await keysCreate(['--role', 'reader'], db, out), 0)
  const rows = await db.query<{ role: string; label: string | null; organisation_id: string | null }>('SELECT role, label, organisation_id FROM api_keys ORDER BY role')
  t.same(rows, [{ role: 'admin', label: 'ops', organisation_id: null }, { role: 'publisher', label: null, organisation_id: org.id }, { role: 'reader', label: null, organisation_id: null }])
  t.equal((await db.query('SELECT 1 FROM api_keys WHERE key_hash = $1', [hashKey(key)])).length, 1, 'stored as its hash')

  // bad flags: each named, nothing stored
  const bad: Array<[string[], RegExp]> = [
    [['--role', 'publisher'], /--organisation: is required for a publisher key/],
    [['--role', 'reader', '--organisation', org.id], /--organisation: is only for publisher keys/],
    [['--role', 'publisher', '--organisation', '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f'], /--organisation: is not the id of an organisation/],
    [['--role', 'owner'], /--role: must be one of: admin, publisher, reader/],
    [['--role', 'admin', '--bogus'], /Unknown option '--bogus'/],
    [[], /usage:/],
  ]
  for (const [argv, message] of bad) {
    lines.error.length = 0
    t.equal(await keysCreate(argv, db, out), 2, argv.join(' '))
    t.match(lines.error.join('\n'), message, argv.join(' '))
  }
  t.equal((await db.query('SELECT 1 FROM api_keys')).length, 3, 'the bad ones stored nothing')
})

// The command line itself, on the PostGIS server only: a child process creating a fresh
// embedded database spends some 40 s initialising PostGIS, and the logic is tested above.
t.test('npm run keys:create runs from the command line', { skip: SERVER_URL ? false : 'needs DATABASE_URL (slow on a fresh embedded database)' }, async (t) => {
  const name = `signpost_test_keys_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: SERVER_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  t.teardown(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  })
  const url = withDatabase(SERVER_URL!, name)
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const run = spawnSync(process.execPath, ['--import=tsx', 'scripts/keys-create.ts', '--role', 'admin'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: url },
  })
  t.equal(run.status, 0, run.stderr)
  const key = run.stdout.trim()
  t.match(key, /^sp_[A-Za-z0-9_-]{43}$/, 'only the key on stdout')
  const db = await connect({ url })
  t.teardown(() => db.close())
  const rows = await db.query<{ role: string; key_hash: string }>('SELECT role, key_hash FROM api_keys')
  t.same(rows, [{ role: 'admin', key_hash: hashKey(key) }])
})
