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

/**
 * A PATCH: the current document cut down to its writable fields, with the patch merged in.
 * A patch that is not an object, or that names a read-only field, is reported here; the
 * merged document is then checked like a full write by the caller.
 */
export function patchedDocument(current: unknown, patch: unknown, writable: readonly string[],
  readOnly: readonly string[]): { doc: Record<string, unknown>; problems: Array<{ pointer: string; message: string }> } {
  const problems: Array<{ pointer: string; message: string }> = []
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return { doc: {}, problems: [{ pointer: '', message: 'must be a JSON object: a JSON Merge Patch (RFC 7396) of the document' }] }
  }
  for (const k of Object.keys(patch)) {
    if (readOnly.includes(k)) problems.push({ pointer: `/${escapePointer(k)}`, message: 'is read-only: the server sets it' })
  }
  const base: Record<string, unknown> = {}
  for (const k of writable) if (current && (current as any)[k] !== undefined) base[k] = (current as any)[k]
  const rest = Object.fromEntries(Object.entries(patch).filter(([k]) => !readOnly.includes(k)))
  return { doc: mergePatch(base, rest) as Record<string, unknown>, problems }
}
