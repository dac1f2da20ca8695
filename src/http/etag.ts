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
 * onSend hook for reads whose handler set no ETag (lists, history): a hash of the body,
 * so every GET answer carries one (SPEC §4).
 */
export async function defaultEtag(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200 || reply.hasHeader('etag')) return payload
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    reply.header('etag', `"h${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`)
  }
  return payload
}
