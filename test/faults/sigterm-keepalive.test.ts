import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freshDb, freshDbUrl, SERVER_URL, TEST_LIMITS } from '../helper.ts'
import { freePort } from '../fixtures/ports.ts'

// The keep-alive race of issue 12: a request sent on an open keep-alive socket just after
// SIGTERM was closed without an answer. Now, while the process drains, every answer says
// Connection: close, and a request on an open socket is answered (503) before it is closed.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Sends one request on the socket and reads one response (Content-Length framed, in bytes). */
function exchange(socket: Socket, request: string): Promise<{ head: string; body: string; closed: boolean }> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0)
    const done = (closed: boolean) => {
      socket.off('data', onData); socket.off('close', onClose)
      const split = data.indexOf('\r\n\r\n')
      const text = data.toString('utf8')
      resolve({ head: split < 0 ? text : data.subarray(0, split).toString('utf8'), body: split < 0 ? '' : data.subarray(split + 4).toString('utf8'), closed })
    }
    const onData = (d: Buffer) => {
      data = Buffer.concat([data, d])
      const split = data.indexOf('\r\n\r\n')
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(data.toString('latin1'))?.[1] ?? NaN)
      if (split >= 0 && data.length - split - 4 >= length) done(false)
    }
    const onClose = () => done(true)
    socket.on('data', onData)
    socket.on('close', onClose)
    socket.write(request)
  })
}

t.test('a request on a keep-alive socket just after SIGTERM is answered, with Connection: close', async (t) => {
  const port = await freePort()
  let dbEnv: Record<string, string>
  if (SERVER_URL) {
    const db = await freshDb(t)
    dbEnv = { DATABASE_URL: freshDbUrl(db)! }
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'signpost-sigterm-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    dbEnv = { DATA_DIR: dir, DATABASE_URL: '' }
  }
  const env = { ...process.env, ...TEST_LIMITS, ...dbEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO: 'false' }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let up = false
  for (let i = 0; i < 480 && !up && child.exitCode === null; i++) {
    try { up = (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 } catch { /* not yet */ }
    if (!up) await new Promise((r) => setTimeout(r, 250))
  }
  t.ok(up, 'the server came up')

  const socket = connect(port, '127.0.0.1')
  await new Promise((r) => socket.once('connect', r))
  const request = 'GET /v1/vocabularies HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n'
  const before = await exchange(socket, request)
  t.match(before.head, /^HTTP\/1\.1 200/, 'served before the signal')
  t.notMatch(before.head, /\r\nconnection: close/i, 'and the connection kept open')

  child.kill('SIGTERM')
  for (let i = 0; i < 100 && !/shutting down/.test(out); i++) await new Promise((r) => setTimeout(r, 20))
  t.match(out, /shutting down/, 'the server took the signal')
  // the race: the client reuses its idle keep-alive socket right after the signal
  const after = await exchange(socket, request)
  t.match(after.head, /^HTTP\/1\.1 (503|200)/, `answered, not cut off: ${after.head.split('\r\n')[0] || '(nothing)'}`)
  t.match(after.head, /\r\nconnection: close/i, 'with Connection: close')
  if (after.head.startsWith('HTTP/1.1 503')) {
    t.match(JSON.parse(after.body), { type: '/problems/unavailable', status: 503 }, 'a 503 problem+json')
    t.match(after.head, /\r\nretry-after: \d+/i)
  }
  if (!socket.destroyed) await new Promise((r) => socket.once('close', r))
  t.pass('the server closed the socket after answering')
  const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (c) => r(c))))
  t.equal(code, 0, 'and exited 0')
})
