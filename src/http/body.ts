import type { FastifyRequest } from 'fastify'
import type { ShapeVerdict } from '../domain/validate.ts'

/**
 * Write routes set attachValidation and let the use-case report the body's problems, so
 * shape and cross-field problems come back together in one 400. Path, query and header
 * problems are still Fastify's: this rethrows them for the error plugin.
 */
export function rethrowNonBodyValidation(request: FastifyRequest): void {
  const err = request.validationError as (Error & { validationContext?: string }) | undefined
  if (err && err.validationContext !== 'body') throw err
}

/**
 * The route's verdict on a body whose schema is one registered write schema: Fastify ran
 * the domain's validator for it (src/plugins/validation.ts), and the use-case takes these
 * errors instead of checking the body again. Non-body problems are rethrown first.
 */
export function bodyVerdict(request: FastifyRequest): ShapeVerdict {
  rethrowNonBodyValidation(request)
  const err = request.validationError as (Error & { validation?: ShapeVerdict['errors'] }) | undefined
  return { errors: err?.validation ?? [] }
}
