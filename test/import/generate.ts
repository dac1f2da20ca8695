import { stringify } from 'csv-stringify/sync'
import { HEADER, type CsvRecord } from '../../src/formats/csv/template.ts'

// A council's spreadsheet, made up: `rows` sessions, four per scheme, at venues shared by
// five schemes each, in organisations of twenty venues. Deterministic, so runs compare.
const TOWNS: Array<[string, string, number, number]> = [
  ['London', 'SE15 4AA', 51.4703, -0.0686], ['Leeds', 'LS1 4AP', 53.7997, -1.5492], ['Bristol', 'BS1 4DJ', 51.4545, -2.5879],
  ['Manchester', 'M1 1AE', 53.4808, -2.2426], ['Cardiff', 'CF10 1EP', 51.4816, -3.1791], ['Edinburgh', 'EH1 1YZ', 55.9533, -3.1883],
]
const CATEGORIES = ['walking', 'music_singing', 'gardening', 'arts_crafts', 'befriending', 'coffee_morning', 'book_club', 'mens_shed']
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

export function generateRows(rows: number): CsvRecord[] {
  const out: CsvRecord[] = []
  for (let i = 0; out.length < rows; i++) {
    const v = Math.floor(i / 5)
    const org = Math.floor(v / 20)
    const [town, postcode, lat, lon] = TOWNS[v % TOWNS.length]
    const scheme: CsvRecord = {
      organisation_ref: `org-${org}`, organisation_name: `Community Trust ${org}`,
      scheme_ref: `scheme-${i}`, scheme_name: `${CATEGORIES[i % CATEGORIES.length].replace('_', ' ')} group ${i}`,
      description: `A friendly group that meets four times a month, number ${i}.`, categories: CATEGORIES[i % CATEGORIES.length],
      needs: 'loneliness', delivery: 'in_person', cost_free: i % 3 === 0 ? 'false' : 'true', cost_amount: i % 3 === 0 ? '2.50' : '', cost_per: i % 3 === 0 ? 'session' : '',
      self_referral: 'true', languages: 'en', contact_email: `group${i}@example.org.uk`,
      venue_ref: `venue-${v}`, venue_name: `Community Hall ${v}`, venue_line1: `${v + 1} High Street`, venue_town: town, venue_postcode: postcode,
      venue_lat: (lat + (v % 50) * 0.001).toFixed(6), venue_lon: (lon + (v % 50) * 0.001).toFixed(6), venue_accessibility: v % 2 ? 'step_free' : '',
    }
    const sessions: CsvRecord[] = [
      { frequency: 'weekly', days: DAYS[i % 7], starts: '10:00', ends: '11:30' },
      { frequency: 'weekly', days: DAYS[(i + 3) % 7], starts: '18:00', ends: '19:30' },
      { frequency: 'monthly', days: DAYS[(i + 1) % 7], week_of_month: String((i % 4) + 1), starts: '14:00', ends: '16:00' },
      { frequency: 'fortnightly', days: DAYS[(i + 5) % 7], starts: '13:00', ends: '14:00', valid_from: '2026-01-05' },
    ]
    for (const s of sessions) if (out.length < rows) out.push({ ...scheme, ...s })
  }
  return out
}

export function generateCsv(rows: number): string {
  return stringify([HEADER, ...generateRows(rows).map((r) => HEADER.map((h) => r[h] ?? ''))])
}
