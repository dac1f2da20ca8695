import { DAY_CODES, PERIODS, periodConditionSql, type PeriodCode } from '../domain/calendar.ts'
import { codes } from '../domain/vocabularies.ts'

/**
 * The layout of the venues' search bits (migrations/0008): one int8 of bits, each standing
 * for codes a search can ask for. It is derived from the vocabularies and the calendar
 * constants, and the SQL functions that apply it are generated from it (`npm run
 * db:search-codes` writes a migration when it changes): adding a vocabulary code is one edit
 * plus that generated migration, and test/db/search-codes.test.ts fails while the two differ.
 *
 * The bits are a superset test (the exact filters decide after it), so a kind with more codes
 * than bits folds them: code i takes bit i mod n of its kind. Two codes on one bit cost a few
 * extra rows read for searches asking one of them, never a result. Every kind but the
 * categories has a bit per code; the categories share what is left of the 64 bits, and the
 * codes that fold are the last ones of the vocabulary (the advice services, mostly remote).
 */

export type SearchCodeKind = 'categories' | 'accessibility' | 'days' | 'period' | 'cost' | 'live'

export const SEARCH_BITS = 64

export interface SearchCodeKindLayout {
  kind: SearchCodeKind
  codes: string[]
  /** How many bits the kind has; fewer than its codes when they fold. */
  bits: number
}

/** Each kind with its codes in bit order and its bit count; bits are numbered from 0 across the kinds in this order. */
export function searchCodeLayout(): SearchCodeKindLayout[] {
  const exact: Array<[SearchCodeKind, string[]]> = [
    ['accessibility', [...codes('accessibility')]],
    ['days', [...DAY_CODES]],
    ['period', Object.keys(PERIODS)],
    ['cost', ['free', 'paid']],
    // the venue has a session of a published scheme
    ['live', ['live']],
  ]
  const categories = [...codes('categories')]
  const left = SEARCH_BITS - exact.reduce((n, [, xs]) => n + xs.length, 0)
  if (left < 8) throw new Error(`the search bits hold ${SEARCH_BITS}; the exact kinds leave ${left} for ${categories.length} categories`)
  return [
    { kind: 'categories', codes: categories, bits: Math.min(categories.length, left) },
    ...exact.map(([kind, xs]) => ({ kind, codes: xs, bits: xs.length })),
  ]
}

/** The bit (0–63) that code number `index` of a kind takes: its kind's base plus the index folded into the kind's bits. */
export function bitOf(layout: SearchCodeKindLayout[], kind: SearchCodeKind, code: string): number | undefined {
  let base = 0
  for (const k of layout) {
    if (k.kind === kind) {
      const i = k.codes.indexOf(code)
      return i === -1 ? undefined : base + (i % k.bits)
    }
    base += k.bits
  }
  return undefined
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`
const array = (xs: string[]) => `ARRAY[${xs.map(quote).join(', ')}]`

/** The SQL of search_code_bits and search_session_bits for the current layout. */
export function searchCodesSql(): string {
  const layout = searchCodeLayout()
  const total = layout.reduce((n, k) => n + k.bits, 0)
  if (total > SEARCH_BITS) throw new Error(`the search bits hold ${SEARCH_BITS}; the layout asks for ${total}`)
  let base = 0
  const cases = layout.map(({ kind, codes: xs, bits }) => {
    const line = `    WHEN ${quote(kind)} THEN base := ${base}; width := ${bits}; vocab := ${array(xs)};`
    base += bits
    return line
  })
  const periods = (Object.keys(PERIODS) as PeriodCode[]).map((p) => `        CASE WHEN ${periodConditionSql(p, 'starts', 'ends')} THEN ${quote(p)} END`)
  return `-- layout: ${JSON.stringify(layout.map((k) => [k.kind, k.codes, k.bits]))}
CREATE OR REPLACE FUNCTION search_code_bits(kind text, codes text[]) RETURNS int8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  base int;
  width int;
  vocab text[];
  bits int8 := 0;
  code text;
  p int;
BEGIN
  CASE kind
${cases.join('\n')}
  END CASE;
  FOREACH code IN ARRAY coalesce(codes, '{}') LOOP
    p := array_position(vocab, code);
    -- code number p - 1, folded into the kind's width
    IF p IS NOT NULL THEN bits := bits | (1::int8 << (base + (p - 1) % width)); END IF;
  END LOOP;
  RETURN bits;
END $$;

-- The bits of one session of a live scheme at a venue; a one-off session runs on its date's weekday,
-- and a session past midnight (ends <= starts) belongs to the day it starts, its span to both sides.
CREATE OR REPLACE FUNCTION search_session_bits(categories text[], scheme_access text[], cost_free boolean, venue_access text[],
    frequency text, days text[], date date, starts time, ends time) RETURNS int8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT search_code_bits('categories', categories)
    | search_code_bits('accessibility', venue_access || scheme_access)
    | search_code_bits('days', CASE WHEN frequency = 'once'
        THEN ARRAY[(${array(DAY_CODES)})[extract(isodow FROM date)::int]] ELSE days END)
    | search_code_bits('period', ARRAY[
${periods.join(',\n')}])
    | search_code_bits('cost', ARRAY[CASE WHEN cost_free THEN 'free' ELSE 'paid' END])
    | search_code_bits('live', ARRAY['live'])
$$;
`
}

/** The layout a generated migration's first line records. */
export function layoutOf(migration: string): string | undefined {
  return /^-- layout: (.*)$/m.exec(migration)?.[1]
}

/** Every venue's bits recomputed whole: after a layout change, a bit may mean another code. */
export const RECOMPUTE_SQL = `
-- the layout changed: every venue's bits, recomputed whole
UPDATE venues v SET search_bits = b.bits
FROM (SELECT x.id, venue_search_bits(x) AS bits FROM venues x) b
WHERE v.id = b.id AND v.search_bits <> b.bits;
`
