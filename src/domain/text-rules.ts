import type { ProblemItem } from '../errors.ts'
import { escapePointer } from './ids.ts'

/**
 * The rules every string the service is given must meet, wherever it comes from (a JSON
 * body, a query string, a path, an import file): PostgreSQL text cannot hold U+0000 (22021),
 * and a lone UTF-16 surrogate is not text at all (JSON.parse turns "\ud800" into one; the
 * database refuses it with 22P02, or a driver silently turns it into U+FFFD).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)'
export const SURROGATE_MESSAGE = 'must not contain a lone UTF-16 surrogate (U+D800–U+DFFF outside a pair): it is not text'

/** Why this string is refused, or undefined when it is fine. */
export function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return NUL_MESSAGE
  if (LONE_SURROGATE.test(s)) return SURROGATE_MESSAGE
  return undefined
}

/** A string that can be echoed in a pointer or a log line: refused characters become U+FFFD. */
export function printable(s: string): string {
  return s.replace(/\u0000/g, '\ufffd').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd')
}

const escape = (k: string) => escapePointer(printable(k))
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Every string in a parsed JSON value (member names too) that breaks the rules, by JSON
 * pointer. Iterative, not recursive: a value nested thousands deep must not overflow the stack.
 */
export function textProblems(doc: unknown, pointer = '', max = 50): ProblemItem[] {
  const out: ProblemItem[] = []
  const stack: Array<[unknown, string]> = [[doc, pointer]]
  while (stack.length > 0 && out.length < max) {
    const [v, p] = stack.pop()!
    if (typeof v === 'string') {
      const why = textProblem(v)
      if (why) out.push({ pointer: p, message: why })
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${p}/${i}`])
    } else if (isObject(v)) {
      const entries = Object.entries(v)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i]
        const why = textProblem(k)
        if (why) out.push({ pointer: `${p}/${escape(k)}`, message: `the field name ${why}` })
        stack.push([x, `${p}/${escape(k)}`])
      }
    }
  }
  return out
}

/**
 * How deeply JSON text nests its arrays and objects, counted on the text before it is
 * parsed, so that no later walk (validation, canonical hashing, merge patch) ever sees a
 * value deeper than MAX_JSON_DEPTH. Stops counting once past `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) { if (++depth > limit) return true }
    else if (c === 125 || c === 93) depth--
  }
  return false
}

/** Arrays and objects nested deeper than this are refused (a scheme nests 6 at most). */
export const MAX_JSON_DEPTH = 32
