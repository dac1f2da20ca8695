import type { FastifyInstance } from 'fastify'

/**
 * PATCH bodies come as application/merge-patch+json (plain application/json is accepted
 * too). Fastify's own JSON parser does the reading, so prototype poisoning and the body
 * limit are handled the same way as for JSON.
 */
export function addMergePatchParser(app: FastifyInstance): void {
  if (app.hasContentTypeParser('application/merge-patch+json')) return
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
}
