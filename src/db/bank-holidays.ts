import { sql } from 'drizzle-orm'
import type { Db } from './client.ts'
import { bankHolidays, bankHolidayYears, HOLIDAY_REGIONS } from '../domain/bank-holidays.ts'
import { ukDate } from '../domain/schedule.ts'
import { loadHolidayRegions } from '../geo/nations.ts'

/**
 * The calendar data SQL reads but cannot compute (migrations/0014): the bank_holidays table
 * from date-holidays, and each venue's holiday_region from its postcode. Run by every migrate
 * (start-up, npm run db:migrate, the tests' template), idempotent: a second run writes nothing.
 */
export async function refreshCalendarData(db: Db, now = new Date()): Promise<void> {
  await refreshBankHolidays(db, bankHolidayYears(ukDate(now)))
  await fillVenueRegions(db)
}

/**
 * Makes bank_holidays hold exactly date-holidays' days for these years: missing ones added,
 * renamed ones renamed, ones no longer listed (a newer package) removed; other years untouched.
 */
export async function refreshBankHolidays(db: Db, years: number[]): Promise<void> {
  const rows = HOLIDAY_REGIONS.flatMap((region) => years.flatMap((y) => [...bankHolidays(region, y)].map(([date, name]) => ({ region, date, name }))))
  const from = `${Math.min(...years)}-01-01`
  const to = `${Math.max(...years)}-12-31`
  await db.query(sql`
    WITH want AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS w(region text, date date, name text)),
    gone AS (
      DELETE FROM bank_holidays b WHERE b.date BETWEEN ${from}::date AND ${to}::date
        AND NOT EXISTS (SELECT 1 FROM want w WHERE w.region = b.region AND w.date = b.date))
    INSERT INTO bank_holidays (region, date, name) SELECT region, date, name FROM want
    ON CONFLICT (region, date) DO UPDATE SET name = EXCLUDED.name WHERE bank_holidays.name IS DISTINCT FROM EXCLUDED.name`)
}

const BATCH = 5000

/**
 * Sets holiday_region on the venues that have none (written before migrations/0014, or
 * straight into the table), from their postcodes; through the partial index on the unset ones,
 * so that a directory where every venue has one costs one index probe.
 */
export async function fillVenueRegions(db: Db): Promise<number> {
  const regionOf = await loadHolidayRegions()
  let done = 0
  for (;;) {
    const rows = await db.query<{ id: string; postcode: string }>(sql`
      SELECT id, postcode FROM venues WHERE holiday_region IS NULL ORDER BY id LIMIT ${BATCH}`)
    if (rows.length === 0) return done
    const set = rows.map((r) => ({ id: r.id, region: regionOf(r.postcode) }))
    await db.query(sql`
      UPDATE venues v SET holiday_region = x.region
      FROM jsonb_to_recordset(${JSON.stringify(set)}::jsonb) AS x(id uuid, region text)
      WHERE v.id = x.id AND v.holiday_region IS NULL`)
    done += rows.length
    if (rows.length < BATCH) return done
  }
}
