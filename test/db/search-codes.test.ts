/**
 * The search bits' SQL is generated from the vocabularies and the calendar constants
 * (src/db/search-codes.ts): the newest generated migration must be what the generator makes
 * now (else: `npm run db:search-codes`), and the migrated database must place each code at
 * the bit the layout gives it (folded for the categories) and read periods as calendar.ts does.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { sql } from 'drizzle-orm'
import { freshDb } from '../helper.ts'
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts'
import { latestSearchCodes, nextMigrationName } from '../../src/db/search-codes-migrations.ts'
import { SEARCH_BITS, bitOf, searchCodeLayout, searchCodesSql } from '../../src/db/search-codes.ts'
import { clockTime, inPeriod, PERIODS, validSpan, type PeriodCode } from '../../src/domain/calendar.ts'

const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()

t.test('the newest generated migration is what the vocabularies make now', async (t) => {
  const latest = latestSearchCodes(files.map((name) => ({ name, text: readFileSync(join(MIGRATIONS_DIR, name), 'utf8') })))
  t.ok(latest, 'there is a generated search-codes migration')
  t.equal(latest!.functions, searchCodesSql(), `${latest!.name} is up to date: run npm run db:search-codes after changing a vocabulary or a period`)
  t.equal(nextMigrationName(['0001_a.sql', '0010_b.sql'], 'c'), '0011_c.sql')
})

t.test('each code at its layout bit; periods as calendar.ts reads them', async (t) => {
  const db = await freshDb(t)
  const layout = searchCodeLayout()
  const expected: Array<[string, string, string]> = []
  for (const { kind, codes } of layout) for (const c of codes) expected.push([kind, c, BigInt.asIntN(64, 1n << BigInt(bitOf(layout, kind, c)!)).toString()])
  t.ok(layout.reduce((n, k) => n + k.bits, 0) <= SEARCH_BITS, 'the layout fits one int8')
  // only the categories fold, and each of their bits holds at most two codes
  for (const k of layout) t.ok(k.kind === 'categories' ? k.codes.length <= 2 * k.bits : k.codes.length === k.bits, `${k.kind}: ${k.codes.length} codes on ${k.bits} bits`)
  t.equal(new Set(expected.map(([, , b]) => b)).size, layout.reduce((n, k) => n + k.bits, 0), 'every bit of the layout is used')
  const rows = await db.query<{ k: string; c: string; b: string }>(sql`
    SELECT e.k, e.c, search_code_bits(e.k, ARRAY[e.c])::text AS b
    FROM jsonb_to_recordset(${JSON.stringify(expected.map(([k, c]) => ({ k, c })))}::jsonb) AS e(k text, c text)`)
  t.same(rows.map((r) => [r.k, r.c, r.b]), expected, 'every code where the layout puts it')

  // every quarter hour as a start, spans of 15 minutes to 6 hours
  const spans: Array<[string, string]> = []
  // (spans past midnight, up to 06:00 the next morning, included)
  for (let a = 0; a < 24 * 60; a += 15) {
    for (const len of [15, 60, 120, 360]) if (validSpan(clockTime(a), clockTime(a + len))) spans.push([clockTime(a), clockTime(a + len)])
  }
  t.ok(spans.filter(([a, b]) => b < a).length > 20, 'spans past midnight are among them')
  const periods = Object.keys(PERIODS) as PeriodCode[]
  const got = await db.query<{ starts: string; ends: string; periods: string[] }>(sql`
    SELECT s.starts, s.ends, ARRAY(SELECT p FROM unnest(${sql.param(periods)}::text[]) AS p
      WHERE search_session_bits('{}', '{}', true, '{}', 'weekly', '{mon}', NULL, s.starts::time, s.ends::time) & search_code_bits('period', ARRAY[p]) <> 0) AS periods
    FROM jsonb_to_recordset(${JSON.stringify(spans.map(([starts, ends]) => ({ starts, ends })))}::jsonb) AS s(starts text, ends text)`)
  const wrong = got.filter((r) => r.periods.join() !== periods.filter((p) => inPeriod(p, r.starts, r.ends)).join())
  t.same(wrong, [], `${got.length} spans`)
})
