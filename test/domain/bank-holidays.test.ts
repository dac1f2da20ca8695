/** The bank holidays of each UK calendar (src/domain/bank-holidays.ts, from date-holidays) and a nation's calendar. */
import t from 'tap'
import { bankHolidayYears, isBankHoliday, regionOfNation } from '../../src/domain/bank-holidays.ts'

t.test('three calendars, from date-holidays', async (t) => {
  // the GOV.UK lists for 2027: England and Wales 8, Scotland 9 (with 2 and 4 January), Northern Ireland 10
  t.ok(isBankHoliday('GB-EAW', '2027-03-29'), 'Easter Monday in England and Wales')
  t.notOk(isBankHoliday('GB-SCT', '2027-03-29'), 'not in Scotland')
  t.ok(isBankHoliday('GB-SCT', '2027-01-04'), '2 January\'s substitute in Scotland')
  t.notOk(isBankHoliday('GB-EAW', '2027-01-04'))
  t.ok(isBankHoliday('GB-SCT', '2027-08-02') && !isBankHoliday('GB-SCT', '2027-08-30'), 'Scotland\'s summer bank holiday is the first Monday')
  t.ok(isBankHoliday('GB-NIR', '2027-03-17') && isBankHoliday('GB-NIR', '2027-07-12'), 'St Patrick\'s Day and the Boyne in Northern Ireland')
  t.ok(isBankHoliday('GB-EAW', '2026-12-28'), 'a substitute day')
  t.ok(isBankHoliday('GB-EAW', '2027-12-25'), 'and Christmas Day itself on a Saturday')
  t.notOk(isBankHoliday('GB-EAW', '2027-03-28'), 'Easter Sunday is an observance, not a bank holiday')
  t.notOk(isBankHoliday('GB-EAW', '2027-06-20'), 'nor Father\'s Day')
})

t.test('a nation\'s calendar; the years the table keeps', async (t) => {
  t.same(['England', 'Wales', 'Scotland', 'Northern Ireland', undefined].map(regionOfNation), ['GB-EAW', 'GB-EAW', 'GB-SCT', 'GB-NIR', 'GB-EAW'])
  t.same(bankHolidayYears('2026-12-03'), [2025, 2026, 2027, 2028, 2029, 2030, 2031])
})
