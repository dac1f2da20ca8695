import t from 'tap'
import { connect as tcp } from 'node:net'
import { build } from '../helper.ts'
import { adminKey } from '../fixtures/api.ts'

// A client that sends its request slowly (slowloris) or not at all is cut off after
// REQUEST_TIMEOUT_MS, so it cannot hold a socket for ever. Bad inputs: a request line with
// headers that never end, and a body shorter than its Content-Length.

async function slowClient(port: number, send: string): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    let answer = ''
    const s = tcp(port, '127.0.0.1', () => s.write(send))
    s.on('data', (d) => { answer += d })
    s.on('close', () => resolve({ ms: Date.now() - started, answer }))
    s.on('error', reject)
    setTimeout(() => { s.destroy(); resolve({ ms: Date.now() - started, answer: answer + '[still open]' }) }, 10000)
  })
}

t.test('requests that do not arrive within REQUEST_TIMEOUT_MS are answered 408 and closed', async (t) => {
  const { app } = await build(t, { REQUEST_TIMEOUT_MS: '1000' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as any).port

  const headers = await slowClient(port, 'GET /v1/vocabularies HTTP/1.1\r\nHost: x\r\nX-Slow: ')
  t.ok(headers.ms >= 900 && headers.ms < 3500, `unfinished headers cut off after ${headers.ms} ms`)
  t.match(headers.answer, /^HTTP\/1\.1 408/, 'with 408 Request Timeout')

  const admin = await adminKey(app)
  const body = await slowClient(port, `POST /v1/organisations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`)
  t.ok(body.ms >= 900 && body.ms < 3500, `unfinished body cut off after ${body.ms} ms`)
  t.notMatch(body.answer, /still open/)
  t.match(body.answer, /^HTTP\/1\.1 408[^]*application\/problem\+json[^]*"status":408/, 'a 408 problem')

  // refused at once (no key), body never finished: the 401 is sent, then the connection closed
  const refused = await slowClient(port, 'POST /v1/organisations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":')
  t.match(refused.answer, /^HTTP\/1\.1 401/)
  t.ok(refused.ms < 3500, `the refused client's connection closed after ${refused.ms} ms`)

  const fine = await fetch(`http://127.0.0.1:${port}/healthz`)
  t.equal(fine.status, 200, 'other clients are served meanwhile')
})
