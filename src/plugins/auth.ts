import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { ForbiddenError, UnauthorizedError } from '../errors.ts'
import { bootstrapAdminKey, findKey } from '../repositories/keys.ts'
import { assertCanWrite, type Actor, type Role } from '../domain/access.ts'

export type { Actor, Role }

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's key, when it sent a valid one (SPEC §4). */
    actor: Actor | null
  }
}

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,500})[ \t]*$/i
/** Where keys mean something; health probes, docs and the OpenAPI document stay open. */
const API = /^\/(v1|oruk)(\/|\?|$)/

/**
 * Authentication: `Authorization: Bearer <key>` → request.actor ({keyId, role, organisationId}).
 * A key that is sent must be valid, on reads too (401 otherwise), so a client learns at once
 * that its key is wrong or revoked. Routes say who may call them with requireRole; records
 * are checked with assertOwner. With READS_REQUIRE_KEY every /v1 and /oruk read needs a
 * valid key of any role; otherwise reads need nothing.
 */
export default fp(async function auth(app: FastifyInstance) {
  if (app.config.ADMIN_API_KEY) await bootstrapAdminKey(app.db, app.config.ADMIN_API_KEY)

  app.decorateRequest('actor', null)

  app.addHook('onRequest', async (request) => {
    request.actor = null
    const header = request.headers.authorization
    if (header === undefined || !API.test(request.url)) return
    const m = BEARER.exec(header)
    const found = m ? await findKey(app.db, m[1]) : undefined
    if (found && !found.revoked) { request.actor = found.actor; return }
    // Not a valid key: refused 429 if this address has sent too many of those this minute.
    await app.refuseGuesser(request)
    if (!m) throw new UnauthorizedError('The Authorization header must be "Bearer <key>".')
    if (!found) throw new UnauthorizedError('This API key is not known. Check it, or ask an admin for a new one.')
    throw new UnauthorizedError('This API key has been revoked. Ask an admin for a new one.')
  })

  if (app.config.READS_REQUIRE_KEY) {
    app.addHook('onRequest', async (request) => {
      if ((request.method === 'GET' || request.method === 'HEAD') && API.test(request.url) && !request.actor) {
        throw new UnauthorizedError('This deployment requires an API key for reads: send Authorization: Bearer <key>.')
      }
    })
  }
}, { name: 'auth', dependencies: ['db', 'limits'] })

/** Route hook: a valid key of one of these roles, else 401 (no key) or 403 (another role). */
export function requireRole(...roles: Role[]): onRequestAsyncHookHandler {
  return async function requireRoleHook(request: FastifyRequest) {
    const actor = request.actor
    if (!actor) throw new UnauthorizedError()
    if (!roles.includes(actor.role)) {
      throw new ForbiddenError(`This needs ${roles.map((r) => `a${r === 'admin' ? 'n' : ''} ${r}`).join(' or ')} key; this one is a ${actor.role} key.`)
    }
  }
}

/** The caller, once requireRole has run. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthorizedError()
  return request.actor
}

/** 403 unless the caller is an admin or a publisher of this organisation. */
export function assertOwner(request: FastifyRequest, organisationId: string, what?: string): void {
  assertCanWrite(actorOf(request), organisationId, what)
}
