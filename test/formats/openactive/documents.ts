import { withSummaries } from '../../../src/domain/schedule-summary.ts'
import type { Scheme } from '../../../src/formats/openactive/session-series.ts'
import type { SessionDocument, VenueDocument } from '../../../src/schemas/documents.ts'

/** Scheme documents as GET /v1/schemes/{id} shows them, for the mapping's tests: each test names what it changes. */

export const BASE = 'https://signpost.example'
export const ORG_ID = '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f'
export const HALL_ID = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f'
export const PARK_ID = '2e3f4051-6b7c-4d8e-9fa0-1b2c3d4e5f60'

export function venue(id: string, over: Partial<VenueDocument> = {}): VenueDocument {
  return {
    id, organisation_id: ORG_ID, name: id === HALL_ID ? 'Rye Lane Methodist Hall' : 'Peckham Rye Park café',
    address: { line1: id === HALL_ID ? '174 Rye Lane' : 'Peckham Rye Park', town: 'London', postcode: 'SE15 4NB' },
    location: { lat: 51.4668, lon: -0.0689 }, accessibility: ['step_free', 'hearing_loop', 'seating'],
    version: 1, created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-11-02T10:00:00.000Z', ...over,
  } as VenueDocument
}

export function scheme(over: Record<string, unknown> = {}): Scheme {
  const doc = {
    id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', organisation_id: ORG_ID, name: 'Rye Lane Community Choir',
    description: 'A friendly choir for anyone who likes to sing; no auditions and no need to read music.',
    categories: ['music_singing'], needs: ['loneliness'], audience: [], delivery: ['in_person'], cost: { free: true },
    self_referral: true, accepting_referrals: true, languages: ['en'], contact: { phone: '020 7946 0958' }, accessibility: [],
    always_open: false, by_arrangement: false, status: 'active', last_verified_at: '2026-12-01T10:00:00.000Z', stale: false,
    created_at: '2026-11-02T10:00:00.000Z', updated_at: '2026-12-01T10:00:00.000Z', version: 3,
    organisation: { id: ORG_ID, name: 'Rye Lane Singers' },
    sessions: [{ venue_id: HALL_ID, frequency: 'weekly', days: ['thu'], starts: '19:00', ends: '21:00' }] as SessionDocument[],
    venues: [venue(HALL_ID)],
    ...over,
  }
  return withSummaries(doc as any) as unknown as Scheme
}
