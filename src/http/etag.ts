import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { PreconditionRequiredError, ValidationError } from '../errors.ts'
import { assertVersion as assertExpected, type ExpectedVersion } from '../domain/version.ts'

/** A resource's ETag is its version, quoted: "3". */
export const etagOf = (version: number) => `"${version}"`

export interface IfMatch {
  /** `If-Match: *`: any current version. */
  any: boolean
  versions: number[]
}

const ENTITY = /^"(\d{1,9})"$/
const WEAK = /^W\/"[^"]*"$/

/**
 * Reads If-Match (RFC 9110 §13.1.1). Undefined when absent. Weak tags never match (If-Match
 * compares strongly); anything that is not an entity tag is a 400 naming the header.
 */
export function parseIfMatch(request: FastifyRequest): IfMatch | undefined {
  const raw = request.headers['if-match']
  if (raw === undefined) return undefined
  const text = Array.isArray(raw) ? raw.join(',') : raw
  const result: IfMatch = { any: false, versions: [] }
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean)
  if (parts.length === 0) throw new ValidationError([{ header: 'if-match', message: 'must be the ETag from a GET, quotes included, e.g. "3"' }])
  for (const part of parts) {
    if (part === '*') { result.any = true; continue }
    const m = ENTITY.exec(part)
    if (m) { result.versions.push(Number(m[1])); continue }
    if (WEAK.test(part)) continue
    throw new ValidationError([{ header: 'if-match', message: 'must be the ETag from a GET, quotes included, e.g. "3"' }])
  }
  return result
}

/** If-Match for PUT, PATCH and DELETE: 428 when it is missing. */
export function requireIfMatch(request: FastifyRequest): IfMatch {
  const m = parseIfMatch(request)
  if (!m) throw new PreconditionRequiredError()
  return m
}

/** If-Match as the plain value a use-case takes: the versions it names, or undefined for any. */
export function expectedVersion(condition: IfMatch | undefined): ExpectedVersion {
  return !condition || condition.any ? undefined : condition.versions
}

/** 412 unless the condition accepts this version. Absent condition: accepted. */
export function assertVersion(condition: IfMatch | undefined, version: number): void {
  assertExpected(expectedVersion(condition), version)
}

/**
 * onSend hook for reads: an ETag on every GET answer (SPEC §4), a hash of the body when the
 * handler set none (lists, history, searches); and 304 Not Modified, with no body, when
 * If-None-Match names it (weak comparison, RFC 9110 §13.1.2; `*` matches any).
 */
export async function defaultEtag(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload
  if (!reply.hasHeader('etag') && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
    reply.header('etag', `"h${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`)
  }
  const tag = reply.getHeader('etag')
  if (typeof tag !== 'string' || !noneMatchHits(request.headers['if-none-match'], tag)) return payload
  reply.code(304)
  reply.removeHeader('content-type')
  reply.removeHeader('content-length')
  return null
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '')

/** Whether If-None-Match names this entity tag (weakly) or is `*`. */
export function noneMatchHits(header: string | string[] | undefined, tag: string): boolean {
  if (header === undefined) return false
  const parts = (Array.isArray(header) ? header.join(',') : header).split(',').map((p) => p.trim()).filter(Boolean)
  return parts.some((p) => p === '*' || opaque(p) === opaque(tag))
}
