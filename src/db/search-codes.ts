import { DAY_CODES, PERIODS, periodTimes, type PeriodCode } from '../domain/calendar.ts'
import { codes } from '../domain/vocabularies.ts'

/**
 * The layout of the venues' search bits (migrations/0008): one bit per code a search can
 * ask for, in one int8. It is derived from the vocabularies and the calendar constants, and
 * the SQL functions that apply it are generated from it (`npm run db:search-codes` writes
 * a migration when it changes): adding a vocabulary code is one edit plus that generated
 * migration, and test/db/search-codes.test.ts fails while the two differ.
 */

export type SearchCodeKind = 'categories' | 'accessibility' | 'days' | 'period' | 'cost' | 'live'

/** Each kind with its codes in bit order; bits are numbered from 0 across the kinds in this order. */
export function searchCodeLayout(): Array<[SearchCodeKind, string[]]> {
  return [
    ['categories', [...codes('categories')]],
    ['accessibility', [...codes('accessibility')]],
    ['days', [...DAY_CODES]],
    ['period', Object.keys(PERIODS)],
    ['cost', ['free', 'paid']],
    // the venue has a session of a published scheme
    ['live', ['live']],
  ]
}

export const SEARCH_BITS = 64

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`
const array = (xs: string[]) => `ARRAY[${xs.map(quote).join(', ')}]`

/** The SQL of search_code_bits and search_session_bits for the current layout. */
export function searchCodesSql(): string {
  const layout = searchCodeLayout()
  const total = layout.reduce((n, [, xs]) => n + xs.length, 0)
  if (total > SEARCH_BITS) throw new Error(`the search bits hold ${SEARCH_BITS} codes; the vocabularies now ask for ${total}`)
  let base = 0
  const cases = layout.map(([kind, xs]) => {
    const line = `    WHEN ${quote(kind)} THEN base := ${base}; vocab := ${array(xs)};`
    base += xs.length
    return line
  })
  const periods = (Object.keys(PERIODS) as PeriodCode[]).map((p) => {
    const [from, to] = periodTimes(p)
    return `        CASE WHEN starts < '${to}' AND ends > '${from}' THEN ${quote(p)} END`
  })
  return `-- layout: ${JSON.stringify(layout)}
CREATE OR REPLACE FUNCTION search_code_bits(kind text, codes text[]) RETURNS int8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  base int;
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
    IF p IS NOT NULL THEN bits := bits | (1::int8 << (base + p - 1)); END IF;
  END LOOP;
  RETURN bits;
END $$;

-- The bits of one session of a live scheme at a venue; a one-off session runs on its date's weekday.
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
