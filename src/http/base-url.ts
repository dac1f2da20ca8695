import type { FastifyRequest } from 'fastify'

/** The scheme and host the client asked for (TRUST_PROXY decides whether X-Forwarded-* count): the base of absolute links. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`
}
