import { escapePointer } from './ids.ts'

// What a PATCH means, whoever sends it; its media type is read with JSON's (src/plugins/input.ts).

/** RFC 7396 JSON Merge Patch: null removes a member, objects merge, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Whether `doc` has a member at `path` ('capacity/updated_at': a field inside a field). */
function hasPath(doc: unknown, path: string): boolean {
  let node = doc
  for (const k of path.split('/')) {
    if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, k)) return false
    node = node[k]
  }
  return true
}

/** `doc` without the member at `path`; the objects on the way are copied, `doc` is left as it is. */
function withoutPath(doc: Json, path: string): Json {
  const [k, ...rest] = path.split('/')
  if (!Object.prototype.hasOwnProperty.call(doc, k)) return doc
  const out = { ...doc }
  if (rest.length === 0) delete out[k]
  else if (isObject(out[k])) out[k] = withoutPath(out[k] as Json, rest.join('/'))
  return out
}

/**
 * The part of a document as read that a write may send back: its `writable` fields, less the
 * `readOnly` ones nested inside them (a scheme's capacity/updated_at). What a PATCH merges
 * into, and what an import compares a file with.
 */
export function writablePart(current: unknown, writable: readonly string[], readOnly: readonly string[]): Json {
  let base: Json = {}
  for (const k of writable) if (isObject(current) && current[k] !== undefined) base[k] = current[k]
  for (const path of readOnly) if (path.includes('/')) base = withoutPath(base, path)
  return base
}

/**
 * A PATCH: the current document cut down to its writable fields, with the patch merged in.
 * A patch that is not an object, or that names a read-only field (a top-level name, or a
 * path such as 'capacity/updated_at'), is reported here; the merged document is then checked
 * like a full write by the caller.
 */
export function patchedDocument(current: unknown, patch: unknown, writable: readonly string[],
  readOnly: readonly string[]): { doc: Record<string, unknown>; problems: Array<{ pointer: string; message: string }> } {
  const problems: Array<{ pointer: string; message: string }> = []
  if (!isObject(patch)) {
    return { doc: {}, problems: [{ pointer: '', message: 'must be a JSON object: a JSON Merge Patch (RFC 7396) of the document' }] }
  }
  let rest: Json = patch
  const named = [...Object.keys(patch).filter((k) => readOnly.includes(k)), ...readOnly.filter((p) => p.includes('/') && hasPath(patch, p))]
  for (const path of named) {
    problems.push({ pointer: '/' + path.split('/').map(escapePointer).join('/'), message: 'is read-only: the server sets it' })
    rest = withoutPath(rest, path)
  }
  return { doc: mergePatch(writablePart(current, writable, readOnly), rest) as Record<string, unknown>, problems }
}
