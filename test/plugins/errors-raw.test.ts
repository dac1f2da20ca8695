import t from 'tap'
import { connect } from 'node:net'
import { build } from '../helper.ts'
import { adminKey } from '../fixtures/api.ts'

// What Node's HTTP parser refuses before Fastify has a request (431, a repeated
// Content-Length) was application/json: now problem+json too. Raw sockets, since neither
// inject nor fetch can send these.

function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let out = ''
    socket.on('data', (d) => { out += d })
    socket.on('error', (err: any) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(out) : reject(err)))
    socket.on('close', () => resolve(out))
    socket.write(request)
  })
}

function parse(response: string) {
  const [head, body] = [response.slice(0, response.indexOf('\r\n\r\n')), response.slice(response.indexOf('\r\n\r\n') + 4)]
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1])
  const type = /\r\ncontent-type: ([^\r]+)/i.exec(head)?.[1]
  return { status, type, head, json: body ? JSON.parse(body) : undefined }
}

t.test("Node's and Fastify's own refusals are problem+json", async (t) => {
  const { app } = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as any).port
  const auth = `Authorization: Bearer ${await adminKey(app)}\r\n`
  const cases: Array<[string, string, number]> = [
    // bad inputs: a 20 KB header, a 20 KB URL, a repeated Content-Length, a request line that is not HTTP
    ['oversized header', `GET /v1/vocabularies HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`, 431],
    ['oversized URL', `GET /v1/schemes?q=${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
    ['two Content-Lengths', 'POST /v1/organisations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400],
    ['not HTTP', 'HELLO\r\n\r\n', 400],
    ['bad JSON', `POST /v1/organisations HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{bad}`, 400],
    ['body too large', `POST /v1/organisations HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\nConnection: close\r\n\r\n{`, 413],
  ]
  for (const [what, request, status] of cases) {
    const r = parse(await raw(port, request))
    t.equal(r.status, status, what)
    t.match(r.type, /^application\/problem\+json/, `${what}: problem+json`)
    t.match(r.json, { type: `/problems/http-${status}`, status, title: String, detail: String }, `${what}: ${JSON.stringify(r.json)}`)
  }
})
