import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import type { DemandKey } from '../insights/demand-key.ts'

/**
 * Adds counts to the demand rows (migrations/0018), one statement for a whole batch: a key
 * already there gets the count added (ON CONFLICT on the table's unique key), so two
 * processes flushing the same key at once both count. Rows are written in key order, so two
 * batches that share keys take their row locks in the same order and never deadlock.
 */
export async function addDemand(db: Db, rows: Array<{ key: DemandKey; text: string; count: number }>): Promise<void> {
  if (rows.length === 0) return
  const sorted = [...rows].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
  const col = <T>(f: (k: DemandKey) => T) => sorted.map((r) => f(r.key))
  const list = (f: (k: DemandKey) => string[]) => sql`${sql.param(col((k) => f(k).join(',')))}::text[]`
  await db.query(sql`
    INSERT INTO demand_daily AS d (day, area, needs, categories, periods, days, accessibility, delivery, free, audience, found, searches)
    SELECT u.day, u.area, string_to_array(u.needs, ','), string_to_array(u.categories, ','), string_to_array(u.periods, ','),
      string_to_array(u.days, ','), string_to_array(u.accessibility, ','), string_to_array(u.delivery, ','), u.free,
      string_to_array(u.audience, ','), u.found, u.searches
    FROM unnest(${sql.param(col((k) => k.day))}::date[], ${sql.param(col((k) => k.area))}::text[], ${list((k) => k.needs)},
      ${list((k) => k.categories)}, ${list((k) => k.periods)}, ${list((k) => k.days)}, ${list((k) => k.accessibility)},
      ${list((k) => k.delivery)}, ${sql.param(col((k) => k.free))}::boolean[], ${list((k) => k.audience)},
      ${sql.param(col((k) => k.found))}::boolean[], ${sql.param(sorted.map((r) => r.count))}::int[])
      AS u(day, area, needs, categories, periods, days, accessibility, delivery, free, audience, found, searches)
    ON CONFLICT ON CONSTRAINT demand_daily_key DO UPDATE SET searches = d.searches + excluded.searches`)
}

/** The demand rows of a UK date range, summed over the days: one row per area, code lists and outcome. */
export type DemandRow = Omit<DemandKey, 'day'> & { searches: number }

/** Which rows to read: each asked code list must meet the row's (any of), free must equal. */
export interface DemandQuery {
  from: string
  to: string
  /** one area code, or all */
  area?: string
  lists: Partial<Record<'needs' | 'categories' | 'periods' | 'days' | 'accessibility' | 'delivery' | 'audience', string[]>>
  free?: boolean
}

export async function demandRows(db: Db, q: DemandQuery): Promise<DemandRow[]> {
  const parts = [sql`d.day BETWEEN ${q.from}::date AND ${q.to}::date`]
  if (q.area !== undefined) parts.push(sql`d.area = ${q.area}`)
  // the list names come from DemandQuery's fixed keys, never from input
  for (const [name, codes] of Object.entries(q.lists)) if (codes?.length) parts.push(sql`${sql.raw(`d.${name}`)} && ${sql.param(codes)}::text[]`)
  if (q.free !== undefined) parts.push(sql`d.free = ${q.free}::boolean`)
  return db.query<DemandRow>(sql`
    SELECT d.area, d.needs, d.categories, d.periods, d.days, d.accessibility, d.delivery, d.free, d.audience, d.found, sum(d.searches)::int AS searches
    FROM demand_daily d WHERE ${sql.join(parts, sql` AND `)}
    GROUP BY d.area, d.needs, d.categories, d.periods, d.days, d.accessibility, d.delivery, d.free, d.audience, d.found`)
}
