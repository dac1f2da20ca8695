import t from 'tap'
import { spawnSync } from 'node:child_process'
import { loadConfig, ConfigError } from '../src/config.ts'

t.test('defaults follow SPEC §6', async (t) => {
  const c = loadConfig({})
  t.match(c, { DATA_DIR: './data', PORT: 3000, HOST: '127.0.0.1', SEED_DEMO: 'auto', READS_REQUIRE_KEY: false })
  t.equal(c.DATABASE_URL, undefined)
})

t.test('values are read and typed', async (t) => {
  const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', SEED_DEMO: 'false', READS_REQUIRE_KEY: 'true', DATABASE_URL: 'postgres://u@h/db', LOG_LEVEL: 'warn' })
  t.match(c, { PORT: 8080, HOST: '0.0.0.0', SEED_DEMO: 'false', READS_REQUIRE_KEY: true, DATABASE_URL: 'postgres://u@h/db', LOG_LEVEL: 'warn' })
})

t.test('every bad variable is named at once', async (t) => {
  const err = t.throws(() => loadConfig({ PORT: 'eighty', SEED_DEMO: 'maybe', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', READS_REQUIRE_KEY: 'yes', ADMIN_API_KEY: 'short', DATABASE_READ_URL: 'nope' })) as ConfigError
  t.ok(err instanceof ConfigError)
  const named = err.problems.map((p) => p.split(':')[0]).sort()
  t.same(named, ['ADMIN_API_KEY', 'DATABASE_READ_URL', 'DATABASE_URL', 'LOG_LEVEL', 'PORT', 'READS_REQUIRE_KEY', 'SEED_DEMO'])
  t.notMatch(err.message, /short/, 'the key value itself is not echoed')
})

t.test('out-of-range port', async (t) => {
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
  t.throws(() => loadConfig({ PORT: '-1' }), /PORT/)
  t.throws(() => loadConfig({ PORT: '3000.5' }), /PORT/)
})

t.test('the server exits 1 with one message naming each bad variable', async (t) => {
  const r = spawnSync(process.execPath, ['--import=tsx', 'src/server.ts'], { env: { ...process.env, PORT: 'x', SEED_DEMO: 'nah', DATABASE_URL: '' }, encoding: 'utf8', timeout: 60000 })
  t.equal(r.status, 1)
  t.match(r.stderr, /PORT/)
  t.match(r.stderr, /SEED_DEMO/)
  t.equal(r.stderr.trim().split('\n').length, 1, 'one message')
})

t.test('TRUST_PROXY: off by default; true/false, a hop count, or addresses and CIDR ranges', async (t) => {
  const { trustProxy } = await import('../src/config.ts')
  t.equal(loadConfig({}).TRUST_PROXY, 'false')
  t.equal(trustProxy(loadConfig({}).TRUST_PROXY), false)
  t.equal(trustProxy('true'), true)
  t.equal(trustProxy('2'), 2)
  t.same(trustProxy('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback'), ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback'])
  // bad inputs: words, a bad address, a bad prefix, an empty entry, a huge hop count
  for (const bad of ['yes', '10.0.0.256', '10.0.0.0/33', '127.0.0.1,', '1000', '10.0.0.0/8/1']) {
    const err = t.throws(() => loadConfig({ TRUST_PROXY: bad, PORT: 'x' }), `${bad}: refused`) as ConfigError
    t.same(err.problems.map((p) => p.split(':')[0]).sort(), ['PORT', 'TRUST_PROXY'], `${bad}: named with the others`)
  }
})
