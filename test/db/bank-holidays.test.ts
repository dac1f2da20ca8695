/**
 * The calendar data SQL reads (src/db/bank-holidays.ts): every migrate fills bank_holidays from
 * date-holidays for a span of years around today and places the venues that have no nation;
 * a second run changes nothing, and a table that drifted is put right inside the span only.
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { freshDb } from '../helper.ts'
import { fillVenueRegions, refreshBankHolidays } from '../../src/db/bank-holidays.ts'
import { bankHolidays, bankHolidayYears } from '../../src/domain/bank-holidays.ts'
import { ukDate } from '../../src/domain/schedule.ts'
import { insertOrganisation, insertVenue } from '../fixtures/sql.ts'

t.test('a migrated database holds the bank holidays of this year and the next five, as date-holidays lists them', async (t) => {
  const db = await freshDb(t)
  const years = bankHolidayYears(ukDate(new Date()))
  const rows = await db.query<{ region: string; date: string; name: string }>(sql`
    SELECT region, to_char(date, 'YYYY-MM-DD') AS date, name FROM bank_holidays ORDER BY region, date`)
  const want = (['GB-EAW', 'GB-NIR', 'GB-SCT'] as const).flatMap((region) =>
    years.flatMap((y) => [...bankHolidays(region, y)].map(([date, name]) => ({ region, date, name }))))
  t.same(rows.filter((r) => years.includes(Number(r.date.slice(0, 4)))), want)
  t.ok(rows.some((r) => r.region === 'GB-SCT' && r.date.endsWith('-11-30')), 'St Andrew\'s Day in Scotland')
})

t.test('refreshing is idempotent and puts right only the years it is given', async (t) => {
  const db = await freshDb(t)
  const count = async () => (await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM bank_holidays`))[0].n
  await refreshBankHolidays(db, [2027])
  const before = await count()
  const xmin = async () => (await db.query<{ x: string }>(sql`SELECT string_agg(xmin::text, ',' ORDER BY region, date) AS x FROM bank_holidays`))[0].x
  const stamp = await xmin()
  await refreshBankHolidays(db, [2027])
  t.equal(await xmin(), stamp, 'a second run writes no row')
  await db.query(sql`DELETE FROM bank_holidays WHERE region = 'GB-EAW' AND date = '2027-12-27'`)
  await db.query(sql`INSERT INTO bank_holidays VALUES ('GB-EAW', '2027-06-15', 'Not a holiday'), ('GB-EAW', '1999-06-15', 'Outside the span')`)
  await db.query(sql`UPDATE bank_holidays SET name = 'Renamed' WHERE region = 'GB-SCT' AND date = '2027-11-30'`)
  await refreshBankHolidays(db, [2027])
  const got = await db.query<{ region: string; date: string; name: string }>(sql`
    SELECT region, to_char(date, 'YYYY-MM-DD') AS date, name FROM bank_holidays
    WHERE (region, date) IN (('GB-EAW', '2027-12-27'), ('GB-EAW', '2027-06-15'), ('GB-EAW', '1999-06-15'), ('GB-SCT', '2027-11-30')) ORDER BY date`)
  t.same(got, [
    { region: 'GB-EAW', date: '1999-06-15', name: 'Outside the span' },
    { region: 'GB-SCT', date: '2027-11-30', name: 'St Andrew’s Day' },
    { region: 'GB-EAW', date: '2027-12-27', name: 'Christmas Day (substitute day)' },
  ], 'missing one back, stray one gone, name put right; another year untouched')
  t.equal(await count(), before + 1)
})

t.test('venues without a nation are placed from their postcodes, once', async (t) => {
  const db = await freshDb(t)
  const org = await insertOrganisation(db)
  const edinburgh = await insertVenue(db, { organisation_id: org.id, lat: 55.95, lon: -3.19, postcode: 'EH1 1YZ' })
  const belfast = await insertVenue(db, { organisation_id: org.id, lat: 54.6, lon: -5.93, postcode: 'BT1 5GS' })
  const london = await insertVenue(db, { organisation_id: org.id, lat: 51.47, lon: -0.07, postcode: 'SE15 4AA' })
  t.equal(await fillVenueRegions(db), 3, 'written straight into the table: no nation until placed')
  const regions = await db.query<{ id: string; r: string }>(sql`SELECT id, holiday_region AS r FROM venues`)
  const of = (id: string) => regions.find((x) => x.id === id)?.r
  t.same([of(edinburgh.id), of(belfast.id), of(london.id)], ['GB-SCT', 'GB-NIR', 'GB-EAW'])
  t.equal(await fillVenueRegions(db), 0, 'a second run finds none')
})
