import { once } from 'node:events'
import { EventEmitter } from 'node:events'
import { SMTPServer } from 'smtp-server'

/** A message as it reached the test's SMTP server: envelope, subject and the decoded text. */
export interface Arrived { from: string; to: string[]; subject: string; messageId: string; text: string; links: string[] }

/** Quoted-printable as nodemailer writes long lines: soft breaks and =XX escapes. */
function decodeQp(body: string): string {
  return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
}

/** RFC 2047 encoded words (nodemailer encodes a subject with quotes or a question mark). */
function decodeWords(v: string): string {
  return v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) => enc.toUpperCase() === 'B'
    ? Buffer.from(text, 'base64').toString('utf8')
    : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'))
}

function parse(raw: string, from: string, to: string[]): Arrived {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? ''
  const qp = /quoted-printable/i.test(header('Content-Transfer-Encoding'))
  const body = raw.slice(split + 4)
  const text = qp ? decodeQp(body) : body
  return { from, to, subject: decodeWords(header('Subject')), messageId: header('Message-ID'), text, links: [...text.matchAll(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/g)].map((m) => m[0]) }
}

/**
 * A real SMTP server on 127.0.0.1 (ephemeral port) for a test: every message it accepts is
 * kept in `arrived`; `failNext` makes it refuse the next n messages with a 451.
 */
export async function smtpServer(t: { teardown(fn: () => unknown): void }) {
  const arrived: Arrived[] = []
  const events = new EventEmitter()
  let failures = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (failures > 0) {
          failures--
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 })
          return callback(err)
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
        arrived.push(parse(Buffer.concat(chunks).toString('utf8'), from, session.envelope.rcptTo.map((r) => r.address)))
        events.emit('message')
        callback()
      })
    },
  })
  server.listen(0, '127.0.0.1')
  await once(server.server, 'listening')
  const port = (server.server.address() as { port: number }).port
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `smtp://127.0.0.1:${port}`, arrived, failNext(n: number) { failures = n } }
}
