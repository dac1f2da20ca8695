import type { Socket } from 'node:net'
import { randomUUID } from 'node:crypto'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.ts'
import { validationItems } from '../domain/validate.ts'
import { loggableName } from '../logging.ts'

/** The one place where errors become RFC 9457 application/problem+json. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v)
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ ...body, status, request_id: request.id })
}

// The turning of Ajv errors into problem items lives with the validators.
export { validationItems }

export default fp(async function errors(app: FastifyInstance) {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, 404, { type: '/problems/not-found', title: 'Not found', detail: `No route ${request.method} ${request.url.split('?')[0]}.` }))

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      request.log.info({ status: err.status, type: err.type,
        fields: err.errors?.map((e) => loggableName(e.pointer ?? e.parameter ?? e.header ?? '')) }, 'request refused')
      const body: Record<string, unknown> = { type: err.type, title: err.title, detail: err.message, ...err.extra }
      if (err.errors) body.errors = err.errors
      return sendProblem(reply, request, err.status, body, err.headers)
    }
    if (err.validation) {
      const items = validationItems(err.validation, err.validationContext)
      const names = items.map((i) => i.pointer ?? i.parameter ?? i.header)
      request.log.info({ status: 400, fields: names.map((n) => loggableName(n ?? '')) }, 'invalid request')
      return sendProblem(reply, request, 400,
        { type: '/problems/validation', title: 'Invalid request', detail: `Check ${names.join(', ') || 'the request'}.`, errors: items })
    }
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, 413, 415, bad content length...
      request.log.info({ status, code: err.code }, 'client error')
      const detail = CLIENT_DETAIL[err.code] ?? 'The request could not be read.'
      const body: Record<string, unknown> = { type: `/problems/http-${status}`, title: TITLE[status] ?? 'Bad request', detail }
      if (status === 415) body.errors = [{ header: 'content-type', message: detail }]
      return sendProblem(reply, request, status, body)
    }
    if (status === 503) {
      return sendProblem(reply, request, 503,
        { type: '/problems/unavailable', title: 'Service unavailable',
          detail: 'The service is overloaded or its database is unavailable. Please try again shortly.' }, { 'retry-after': '5' })
    }
    request.log.error({ err }, 'unexpected error')
    return sendProblem(reply, request, 500,
      { type: '/problems/internal', title: 'Internal server error', detail: 'Something went wrong on our side. Quote the request_id if you report it.' })
  })
}, { name: 'errors' })

/**
 * Fastify's clientErrorHandler: what Node's HTTP parser refuses before there is a request
 * (headers or URL over 16 KiB: 431; a duplicated Content-Length or a malformed request
 * line: 400; headers not received in time: 408), answered as problem+json on the socket.
 */
export function clientErrorProblem(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, title, detail] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'Request header fields too large', 'The request line and headers must together be under 16 KiB.']
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request timeout', 'The request did not arrive in time.']
      : [400, 'Bad request', 'The request is not valid HTTP/1.1 (for example, a repeated Content-Length).']
  const body = JSON.stringify({ type: `/problems/http-${status}`, title, status, detail, request_id: randomUUID() })
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title}\r\nConnection: close\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  }
  socket.destroy(err)
}

const TITLE: Record<number, string> = { 400: 'Bad request', 404: 'Not found', 405: 'Method not allowed', 406: 'Not acceptable',
  408: 'Request timeout', 413: 'Payload too large', 415: 'Unsupported media type', 429: 'Too many requests' }
const CLIENT_DETAIL: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty; send a JSON object.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The body is larger than 1 MiB.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the body as application/json (or application/merge-patch+json for PATCH).',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body.',
  FST_ERR_CTP_INVALID_TYPE: 'The Content-Type header is not valid.',
}
