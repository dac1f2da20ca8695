import { fullSal, fullService, salSummary, serviceSummary, type FullServiceInput } from './services.ts'
import type { MappingContext, NativeOrganisation, NativeVenue } from './types.ts'

// One made-up scheme mapped by the real mapping, so the OpenAPI examples are what the feed serves.
const stamp = { version: 1, created_at: '2026-10-01T09:00:00.000Z', updated_at: '2026-10-01T09:00:00.000Z' }
const organisation: NativeOrganisation = { id: '0b5e3f1c-2d4a-4b6c-8d7e-9f0a1b2c3d4e', name: 'Peckham Walking Friends', charity_number: '1234567',
  website: 'https://peckhamwalking.org.uk', description: 'Volunteer-led walks for everyone in Peckham.', ...stamp }
const venue: NativeVenue = { ...stamp,
  id: '5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f', organisation_id: organisation.id, name: 'Peckham Rye Park café',
  address: { line1: 'Peckham Rye Park', town: 'London', postcode: 'SE15 3UA' }, location: { lat: 51.458, lon: -0.066 },
    accessibility: ['step_free', 'accessible_toilet'],
}
const input: FullServiceInput = {
  organisation,
  scheme: {
    id: '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', organisation_id: organisation.id, name: 'Evening walk and talk',
    description: 'A gentle hour\'s walk round the park, then tea. Everyone welcome.', categories: ['walking'],
      needs: ['loneliness', 'physical_inactivity'], audience: [],
    delivery: ['in_person'], cost: { free: true }, min_age: 18, self_referral: true, accepting_referrals: true, group_size: 'small', languages: ['en'],
    contact: { phone: '020 7946 0958', email: 'walks@peckhamwalking.org.uk' }, accessibility: [], always_open: false, by_arrangement: false, status: 'active',
    last_verified_at: '2026-10-01T09:00:00.000Z', stale: false, ...stamp,
  },
  sessions: [
    { position: 0, venue_id: venue.id, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:30' },
    { position: 1, venue_id: venue.id, frequency: 'monthly', days: ['sat'], week_of_month: -1, starts: '10:00', ends: '12:00', except_dates: ['2026-12-26'] },
  ],
  venues: [venue],
}
const ctx: MappingContext = { nationOf: () => 'England' }

export const ORUK_EXAMPLE_SERVICE = fullService(input, ctx)
export const ORUK_EXAMPLE_SERVICE_SUMMARY = serviceSummary(input.scheme, organisation)
export const ORUK_EXAMPLE_SAL = fullSal(input, venue, ctx)
export const ORUK_EXAMPLE_SAL_SUMMARY = salSummary(input.scheme, organisation, venue)
