import { createHash } from 'node:crypto'
import { getHeapStatistics } from 'node:v8'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import type { Config } from '../config.ts'
import { AppError } from '../errors.ts'
import { sendProblem } from './errors.ts'

/** 429: the caller's key (or IP) used up its budget for this minute. */
export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number, what: string) {
    const s = Math.max(1, Math.ceil(retryAfterSeconds))
    super(429, 'Too many requests',
      `Too many ${what} from this API key or address. Try again in ${s} s.`, '/problems/rate-limited', undefined, { 'retry-after': String(s) })
  }
}

/** 503: this process is saturated (event loop or memory); another instance, or a retry, will do. */
export class OverloadedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(503, 'Service unavailable', 'The service is overloaded just now. Please try again shortly.', '/problems/overloaded', undefined,
      { 'retry-after': String(retryAfterSeconds) })
  }
}

/**
 * Fastify's frameworkErrors: what the router refuses before any hook runs (a path
 * parameter longer than maxParamLength, a URL that cannot be decoded), as problem+json.
 */
export function routerRefusal(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400
  const detail = status === 414 ? 'A path parameter is too long.' : 'The URL could not be read.'
  request.log.info({ status, code: err.code }, 'request refused by the router')
  return sendProblem(reply, request, status, { type: `/problems/http-${status}`, title: status === 414 ? 'URI too long' : 'Bad request', detail })
}

/** 503 while the process drains for shutdown: another instance (or this one, restarted) will answer. */
export class ShuttingDownError extends AppError {
  constructor() {
    super(503, 'Service unavailable', 'The service is restarting. Please try again in a moment.', '/problems/unavailable', undefined, { 'retry-after': '1' })
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** 429 when this request's address has sent too many bad keys this minute; call only for a key that is not valid. */
    refuseGuesser(req: FastifyRequest): Promise<void>
    /** From now on, new requests get 503 and every answer closes its connection. */
    startDraining(): void
  }
}

const CSP_DIRECTIVES = {
  'img-src': ["'self'", 'data:'],
  'style-src': ["'self'", "'unsafe-inline'"],
  // Served over plain HTTP behind a TLS proxy, and on localhost in development:
  // forcing https for sub-resources would break the docs page there.
  'upgrade-insecure-requests': null,
}

/**
 * The search pages' security headers (a route's `helmet` option): the same policy, but
 * styles and fonts from this origin only (the pages have no inline style, which only
 * swagger-ui needs, and no third-party font: src/pages/render.ts frontendCss), and a fresh
 * nonce per response for the two inline scripts of the NHS.UK frontend template (the
 * `js-enabled` class and the module that starts its components).
 */
export const PAGE_HELMET = {
  enableCSPNonces: true,
  contentSecurityPolicy: { useDefaults: true, directives: { ...CSP_DIRECTIVES, 'script-src': ["'self'"], 'style-src': ["'self'"], 'font-src': ["'self'"] } },
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Probes from the platform are neither rate-limited nor shed (readyz is shed: it should fail under pressure). */
const UNLIMITED_ROUTES = new Set(['/healthz', '/readyz'])

const isWrite = (req: FastifyRequest) => !READ_METHODS.has(req.method)

/** The bearer token, if any; never stored or logged, only hashed. */
function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization
  if (typeof h !== 'string') return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h)
  return m ? m[1] : undefined
}

/**
 * The rate-limit bucket: a SHA-256 of the key (so the limiter's memory never holds a
 * usable secret) or the client address, plus whether the request reads or writes, so
 * the two budgets are counted apart.
 */
export function bucketKey(req: FastifyRequest): string {
  const token = bearer(req)
  const who = token ? 'key:' + createHash('sha256').update(token).digest('hex') : 'ip:' + req.ip
  return `${who}:${isWrite(req) ? 'w' : 'r'}`
}

function csv(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean)
}

/**
 * The robustness layer, registered before the routes: load shedding (under-pressure),
 * security headers (helmet), CORS (open for reads, configured origins for writes) and
 * per-key / per-IP rate limits. Every refusal goes through the error plugin, so it is
 * problem+json with Retry-After.
 */
export default fp(async function limits(app: FastifyInstance, opts: { config: Config }) {
  const c = opts.config
  const MB = 1024 * 1024

  // Draining for shutdown (src/server.ts starts it, then closes): requests already running
  // finish; new ones on open keep-alive connections are told to go elsewhere. Every answer
  // from then on says Connection: close, so no client sends again on a socket that is about
  // to be closed (a request racing that close would get no answer at all).
  let closing = false
  app.decorate('startDraining', () => { closing = true })
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onRequest', async (_req, reply) => {
    if (!closing) return
    reply.header('connection', 'close')
    throw new ShuttingDownError()
  })
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    return payload
  })

  // Shed load first, before any other work is done for the request.
  const heapMax = c.PRESSURE_MAX_HEAP_USED_MB > 0 ? c.PRESSURE_MAX_HEAP_USED_MB * MB : Math.floor(getHeapStatistics().heap_size_limit * 0.9)
  // The embedded database runs its queries on this event loop: a long one is not overload,
  // and shedding the next request would not help. With a server, 1 s of mean delay is.
  const maxDelay = c.PRESSURE_MAX_EVENT_LOOP_DELAY_MS ?? (c.DATABASE_URL ? 1000 : 0)
  await app.register(underPressure, {
    maxEventLoopDelay: maxDelay,
    maxHeapUsedBytes: heapMax,
    maxRssBytes: c.PRESSURE_MAX_RSS_MB * MB,
    sampleInterval: c.PRESSURE_SAMPLE_INTERVAL_MS,
    retryAfter: c.PRESSURE_RETRY_AFTER_S,
    // A rejected promise reaches the error plugin (next(err)); undefined lets the request on.
    pressureHandler: async (req, _reply, type, value) => {
      if (req.routeOptions.url === '/healthz') return
      req.log.warn({ pressure: type, value }, 'shedding load')
      throw new OverloadedError(c.PRESSURE_RETRY_AFTER_S)
    },
  })

  // Security headers. The CSP is helmet's default (scripts and styles from this origin
  // only) with inline styles allowed, which swagger-ui at /docs needs; the API's JSON is
  // an open-data resource that other origins may load, hence cross-origin CORP.
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: true, directives: CSP_DIRECTIVES },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
  })

  // CORS: anyone may read; only the configured origins may write from a browser. A
  // preflight is judged by the method it asks for.
  const writeOrigins = csv(c.CORS_WRITE_ORIGINS)
  const exposed = ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']
  const allowed = ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key']
  await app.register(cors, {
    delegator: (req: any, cb: (err: Error | null, o: any) => void) => {
      const method = req.method === 'OPTIONS' ? String(req.headers['access-control-request-method'] ?? 'GET').toUpperCase() : req.method
      const write = !READ_METHODS.has(method)
      cb(null, {
        origin: write ? writeOrigins : '*',
        methods: write ? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] : ['GET', 'HEAD'],
        allowedHeaders: allowed,
        exposedHeaders: exposed,
        credentials: false,
        maxAge: 600,
        // A bare OPTIONS is answered 204 rather than the plugin's text/plain 400.
        strictPreflight: false,
      })
    },
  })

  // Node's requestTimeout stops a client that is slow to send its headers, but not one
  // that drips its body: such a request is answered 408 and its connection closed once
  // REQUEST_TIMEOUT_MS have passed since it began.
  app.addHook('onRequest', async (req, reply) => {
    const raw = req.raw
    if (raw.complete || (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined)) return
    const timer = setTimeout(() => {
      const socket = raw.socket as any
      // (inject's fake socket has no destroySoon: nothing to cut there)
      if (raw.complete || typeof socket?.destroySoon !== 'function' || socket.destroyed) return
      // Refused early (401, 429...): the answer is out, but the client is still dripping a
      // body that nobody will read. Close the connection.
      if (reply.raw.headersSent) { socket.destroySoon(); return }
      req.log.info({ status: 408 }, 'request body not received in time')
      const body = JSON.stringify({ type: '/problems/http-408', title: 'Request timeout', status: 408,
        detail: 'The request body did not arrive in time.', request_id: req.id })
      socket.end(`HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
      socket.destroySoon()
    }, c.REQUEST_TIMEOUT_MS)
    timer.unref()
    raw.once('end', () => clearTimeout(timer))
    raw.once('close', () => clearTimeout(timer))
  })

  // Rate limits, per key hash or per IP, reads and writes counted apart.
  const unlimited = (req: FastifyRequest) => UNLIMITED_ROUTES.has(req.routeOptions.url ?? '')
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    timeWindow: 60_000,
    // Enough buckets that a flood of made-up keys cannot evict real callers' counts.
    cache: 50_000,
    keyGenerator: bucketKey,
    max: (req) => (isWrite(req) ? c.RATE_LIMIT_WRITE_PER_MINUTE : c.RATE_LIMIT_READ_PER_MINUTE),
    allowList: (req) => unlimited(req),
    errorResponseBuilder: (req, ctx) => new TooManyRequestsError(ctx.ttl / 1000, isWrite(req) ? 'writes' : 'requests'),
  })

  // Each made-up key gets a bucket of its own, so guessing keys is limited apart: an
  // address with too many 401s in a minute is refused with 429. Only requests whose key
  // turned out not to be valid are refused so (src/plugins/auth.ts asks once it has looked
  // the key up): a valid key is never locked out by others' bad keys from a shared address
  // (a NAT, a proxy), and its own budget stays per key.
  const failures = app.createRateLimit({
    keyGenerator: (req) => 'authfail:' + req.ip,
    max: c.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
    timeWindow: 60_000,
  })
  app.decorate('refuseGuesser', async (req: FastifyRequest) => {
    if (unlimited(req)) return
    const state = await failures(req, { increment: false })
    if (!state.isAllowed && state.remaining === 0 && state.ttl > 0) {
      throw new TooManyRequestsError(state.ttl / 1000, 'failed authentication attempts')
    }
  })
  // Routes outside /v1 and /oruk do not look keys up: a key sent there counts as not valid.
  app.addHook('preParsing', async (req) => {
    if (bearer(req) && !req.actor) await app.refuseGuesser(req)
  })
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode === 401) await failures(req)
  })
}, { name: 'limits', dependencies: ['errors'] })
