import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from '../helper.ts'
import { adminKey } from '../fixtures/api.ts'
import { freePort } from '../fixtures/ports.ts'

// Lockout through a shared address (issue 12): 30 made-up keys from one address made a valid
// key from that address a 429 for the rest of the minute. Now only bad keys are throttled, and
// behind a trusted proxy (TRUST_PROXY) each client is its own address.

t.test('a valid key works after 30+ bad keys from the same address; bad keys are still refused', async (t) => {
  const { app } = await build(t, { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '30' })
  const key = await adminKey(app)
  const get = (k: string, remoteAddress = '192.0.2.50') => app.inject({ url: '/v1/organisations', remoteAddress, headers: { authorization: `Bearer ${k}` } })
  const statuses: number[] = []
  // bad inputs: 35 made-up keys from one address
  for (let i = 0; i < 35; i++) statuses.push((await get(`made-up-${i}`)).statusCode)
  t.same([statuses.slice(0, 30).every((s) => s === 401), statuses.slice(30).every((s) => s === 429)], [true, true], 'the first 30 are 401s, then 429s')
  for (let i = 0; i < 3; i++) t.equal((await get(key)).statusCode, 200, `the valid key from the same address: ${i + 1}`)
  const write = await app.inject({ method: 'POST', url: '/v1/organisations', remoteAddress: '192.0.2.50', headers: { authorization: `Bearer ${key}` }, payload: { name: 'Shared address' } })
  t.equal(write.statusCode, 201, 'and it can write')
  t.equal((await get('made-up-again')).statusCode, 429, 'another bad key from that address: still 429')
  t.equal((await get('made-up-elsewhere', '192.0.2.51')).statusCode, 401, 'a bad key from another address: 401')
})

const nginx = ['/usr/sbin/nginx', 'nginx'].find((bin) => spawnSync(bin, ['-v']).status === 0)

t.test('behind nginx with TRUST_PROXY: clients are throttled by their own address', {
  skip: nginx ? false : 'nginx is not installed (CI installs nginx-light; locally: apt-get install -y nginx-light)',
}, async (t) => {
  const { app } = await build(t, { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_READ_PER_MINUTE: '3', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '30' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const appPort = (app.server.address() as any).port
  const key = await adminKey(app)

  const dir = mkdtempSync(join(tmpdir(), 'signpost-nginx-'))
  const port = await freePort()
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes 1;
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${appPort};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`)
  const proxy = spawn(nginx!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proxy.stderr.on('data', (d) => { stderr += d })
  t.teardown(() => { proxy.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }) })
  const base = `http://127.0.0.1:${port}`
  let up = false
  for (let i = 0; i < 50 && !up && proxy.exitCode === null; i++) {
    try { up = (await fetch(`${base}/healthz`)).status === 200 } catch { await new Promise((r) => setTimeout(r, 100)) }
  }
  t.ok(up, `nginx is proxying ${stderr}`)

  // two clients behind the proxy, told apart by X-Forwarded-For
  const get = (client: string, path = '/v1/vocabularies', k?: string) =>
    fetch(`${base}${path}`, { headers: { 'x-forwarded-for': client, ...(k ? { authorization: `Bearer ${k}` } : {}) } }).then((r) => r.status)
  const a = [await get('203.0.113.1'), await get('203.0.113.1'), await get('203.0.113.1'), await get('203.0.113.1')]
  t.same(a, [200, 200, 200, 429], 'client A: three reads, then 429')
  t.equal(await get('203.0.113.2'), 200, 'client B is not throttled by A')

  // 30+ bad keys from client C, then C's valid key
  const bad: number[] = []
  for (let i = 0; i < 32; i++) bad.push(await get('203.0.113.3', '/v1/organisations', `made-up-${i}`))
  t.same(bad.slice(30), [429, 429], 'bad keys past 30: 429')
  t.equal(await get('203.0.113.3', '/v1/organisations', key), 200, "C's valid key still works")
  t.equal(await get('203.0.113.4', '/v1/organisations', 'made-up-d'), 401, 'a bad key from client D: 401, not 429')
})
