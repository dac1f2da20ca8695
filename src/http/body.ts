import type { FastifyRequest } from 'fastify'

/**
 * Write routes set attachValidation and check bodies themselves (src/domain/scheme-rules.ts),
 * so shape and cross-field problems come back together in one 400. Path, query and header
 * problems are still Fastify's: this rethrows them for the error plugin.
 */
export function rethrowNonBodyValidation(request: FastifyRequest): void {
  const err = request.validationError as (Error & { validationContext?: string }) | undefined
  if (err && err.validationContext !== 'body') throw err
}
