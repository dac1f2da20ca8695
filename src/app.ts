import Fastify,
  { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import pino from 'pino'
import { trustProxy, type Config } from './config.ts'
import type { Db } from './db/client.ts'
import { loggerOptions } from './logging.ts'
import validation from './plugins/validation.ts'
import errors, { clientErrorProblem } from './plugins/errors.ts'
import input from './plugins/input.ts'
import dbPlugin from './plugins/db.ts'
import auth from './plugins/auth.ts'
import demand from './plugins/demand.ts'
import swagger from './plugins/swagger.ts'
import limits, { routerRefusal } from './plugins/limits.ts'
import routes from './routes/index.ts'
import { cachedSerializers } from './plugins/serializers.ts'
import feedWorker from './plugins/feed-worker.ts'
import { allSchemas } from './schemas/index.ts'

export interface AppDeps {
  /** An open, migrated database (tests); otherwise the app opens one from config. */
  db?: Db
  /** Where log lines go (tests read them); stdout otherwise. */
  logStream?: Writable
  /** The clock every "today" is read from (tests pin it); the system's otherwise. */
  now?: () => Date
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** The request's clock: "today in the UK" is its UK date (src/db/rules.ts ukToday). */
    clock: () => Date
  }
}

/** The built app: a Fastify instance whose routes take their types from their TypeBox schemas. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

export const BODY_LIMIT = 1024 * 1024

/** Builds the whole application; never listens (server.ts does). */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<App> {
  // Query parameter names the routes declare: the only ones whose values may be logged.
  const declared = new Set<string>()
  const opts = loggerOptions(config.LOG_LEVEL, declared)
  const app = Fastify({
    loggerInstance: pino(opts as any, deps.logStream ?? process.stdout) as any,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Behind a TLS proxy the client is the address in X-Forwarded-For, from the hops trusted.
    // (a hop count is accepted at run time, though Fastify's types leave it out)
    trustProxy: trustProxy(config.TRUST_PROXY) as boolean | string[],
    // What Node's parser refuses (431, a repeated Content-Length...) as problem+json too.
    clientErrorHandler: clientErrorProblem,
    bodyLimit: BODY_LIMIT,
    // Opening the embedded database and migrating it can take tens of seconds on a busy machine.
    pluginTimeout: 120000,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    // Node checks requestTimeout every 30 s by default: a slow client could hold a socket that much longer.
    http: { connectionsCheckingInterval: 1000 },
    // Long-lived keep-alive sockets must not hold shutdown up for ever.
    forceCloseConnections: 'idle',
    // While draining, src/plugins/limits.ts answers new requests itself: 503 problem+json, Connection: close.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true },
    // Refusals made by the router before any hook (an over-long path parameter) as problem+json too.
    frameworkErrors: routerRefusal,
    schemaController: { compilersFactory: { buildSerializer: cachedSerializers as any } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.decorate('clock', deps.now ?? (() => new Date()))
  app.addHook('onRoute', (route) => {
    for (const name of Object.keys((route.schema?.querystring as any)?.properties ?? {})) declared.add(name)
  })
  app.addHook('onSend', async (request, reply) => { reply.header('x-request-id', request.id) })

  await app.register(validation, { schemas: allSchemas })
  await app.register(errors)
  await app.register(input)
  await app.register(limits, { config })
  await app.register(dbPlugin, { config, db: deps.db })
  await app.register(auth)
  await app.register(feedWorker)
  await app.register(demand)
  await app.register(swagger)
  await app.register(routes)
  return app
}
