/** A postcode's nation and bank-holiday calendar (src/geo/nations.ts), from the districts file geocoding reads. */
import t from 'tap'
import { loadHolidayRegions, loadNations } from '../../src/geo/nations.ts'

t.test('postcode → nation → calendar, any case and spacing', async (t) => {
  const nation = await loadNations()
  const region = await loadHolidayRegions()
  const cases: Array<[string, string | undefined, string]> = [
    ['SE15 4AA', 'England', 'GB-EAW'], ['cf10 1ep', 'Wales', 'GB-EAW'], ['EH11YZ', 'Scotland', 'GB-SCT'], [' g1 1xq ', 'Scotland', 'GB-SCT'],
    ['TD15 1AA', 'England', 'GB-EAW'], ['TD9 7AA', 'Scotland', 'GB-SCT'], ['BT1 5GS', 'Northern Ireland', 'GB-NIR'], ['ZZ9 9ZZ', undefined, 'GB-EAW'],
  ]
  for (const [postcode, n, r] of cases) {
    t.equal(nation(postcode), n, postcode)
    t.equal(region(postcode), r, postcode)
  }
})
