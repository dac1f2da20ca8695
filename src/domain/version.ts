import { PreconditionFailedError } from '../errors.ts'

/**
 * The version(s) a writer expects a record to be at: undefined accepts any (no condition,
 * or If-Match: *); a list is met by any of its versions, so an empty one by none (the edge
 * reads If-Match, whose weak tags never match, into this).
 */
export type ExpectedVersion = number | readonly number[] | undefined

/** 412 unless the record's version is one the writer expects. */
export function assertVersion(expected: ExpectedVersion, version: number): void {
  if (expected === undefined) return
  if (typeof expected === 'number' ? expected === version : expected.includes(version)) return
  // The ETag is the version quoted (src/http/etag.ts); the text names it as the client sent it.
  throw new PreconditionFailedError(`The resource is at version ${version} (ETag "${version}"), not the one in If-Match: GET it again and reapply your change.`)
}
