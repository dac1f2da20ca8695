import { randomUUID } from 'node:crypto'
import type { Db } from '../../../src/db/client.ts'

// A small directory written straight into the tables (as the write API would leave them),
// described in plain objects so that the tests can work out expected answers on their own.

export interface VenueSpec { key: string; org: number; name: string; line1: string; town: string; postcode: string; lat: number; lon: number; accessibility: string[]; deleted?: boolean }
export interface SessionSpec {
  venue: string | null; frequency: 'weekly' | 'fortnightly' | 'monthly' | 'once'; days?: string[]; week_of_month?: number; date?: string
  starts: string; ends: string; valid_from?: string; valid_to?: string; except_dates?: string[]
}
export interface SchemeSpec {
  name: string; org: number; description: string; status?: 'active' | 'paused' | 'ended'; deleted?: boolean
  categories: string[]; needs?: string[]; audience?: string[]; delivery?: string[]; accessibility?: string[]
  cost?: { free: boolean; amount_pence?: number; per?: string; concessions?: string; description?: string }
  min_age?: number; max_age?: number; group_size?: string; languages?: string[]
  contact?: { phone?: string; email?: string; website?: string }
  area?: { type: 'national' } | { type: 'radius'; center: { lat: number; lon: number }; radius_m: number } | { type: 'polygon'; geometry: object }
  sessions: SessionSpec[]
}

export const ORGS = [
  { name: 'Peckham Walking Friends', charity_number: '1234567', website: 'https://peckhamwalking.org.uk', email: 'hello@peckhamwalking.org.uk', description: 'Volunteer-led walks.' },
  { name: 'Leith Community Choir', charity_number: 'SC045678', description: 'Singing for everyone in Leith.' },
  { name: "Splott Men's Shed" },
]

export const VENUES: VenueSpec[] = [
  { key: 'rye', org: 0, name: 'Peckham Rye Park café', line1: 'Peckham Rye Park', town: 'London', postcode: 'SE15 3UA', lat: 51.4585, lon: -0.066, accessibility: ['step_free', 'accessible_toilet'] },
  { key: 'camberwell', org: 0, name: 'Camberwell Library', line1: '48 Camberwell Green', town: 'London', postcode: 'SE5 7AL', lat: 51.474, lon: -0.093, accessibility: ['hearing_loop'] },
  { key: 'brixton', org: 0, name: 'Brixton Rec', line1: '27 Station Road', town: 'London', postcode: 'SW9 8QQ', lat: 51.462, lon: -0.114, accessibility: [] },
  { key: 'leith', org: 1, name: 'Leith Theatre', line1: '28 Ferry Road', town: 'Edinburgh', postcode: 'EH6 4AE', lat: 55.971, lon: -3.172, accessibility: ['step_free'] },
  { key: 'splott', org: 2, name: 'Splott Workshop', line1: '1 Splott Road', town: 'Cardiff', postcode: 'CF24 2BZ', lat: 51.481, lon: -3.154, accessibility: [] },
  { key: 'old', org: 0, name: 'Old Hall (closed)', line1: '1 Old Road', town: 'London', postcode: 'SE15 4AA', lat: 51.47, lon: -0.07, accessibility: ['step_free'], deleted: true },
]

const weekly = (venue: string | null, days: string[], starts: string, ends: string, extra: Partial<SessionSpec> = {}): SessionSpec => ({ venue, frequency: 'weekly', days, starts, ends, ...extra })

export const SCHEMES: SchemeSpec[] = [
  { name: 'Evening walk and talk', org: 0, description: 'A gentle walk round the park, then tea.', categories: ['walking'], needs: ['loneliness'], min_age: 18, group_size: 'small', contact: { phone: '020 7946 0958', email: 'walks@peckhamwalking.org.uk' }, sessions: [weekly('rye', ['tue', 'thu'], '18:00', '19:30', { except_dates: ['2099-12-24'] })] },
  { name: 'Saturday park run-walk', org: 0, description: 'Run or walk 5k at your own pace.', categories: ['running', 'walking'], audience: ['young_adults'], min_age: 16, max_age: 30, sessions: [weekly('rye', ['sat'], '09:00', '10:00'), weekly('brixton', ['sat'], '09:30', '10:30')] },
  { name: 'Library book club', org: 0, description: 'We read a novel a month and talk about it.', categories: ['book_club'], needs: ['loneliness', 'confidence'], cost: { free: false, amount_pence: 350, per: 'session', concessions: 'Free for carers' }, sessions: [{ venue: 'camberwell', frequency: 'monthly', days: ['wed'], week_of_month: 2, starts: '14:00', ends: '15:30' }] },
  { name: 'Last Friday gardening', org: 0, description: 'Community garden mornings.', categories: ['gardening', 'nature_outdoors'], max_age: 99, group_size: 'medium', sessions: [{ venue: 'brixton', frequency: 'monthly', days: ['fri'], week_of_month: -1, starts: '10:00', ends: '12:00' }] },
  { name: 'Fortnightly coffee morning', org: 0, description: 'Coffee, cake and conversation.', categories: ['coffee_morning'], needs: ['loneliness'], audience: ['older_people'], min_age: 60, accessibility: ['carer_free'], sessions: [{ venue: 'camberwell', frequency: 'fortnightly', days: ['mon'], starts: '10:30', ends: '12:00', valid_from: '2025-01-06' }] },
  { name: 'Winter wellbeing talk', org: 0, description: 'A one-off talk on keeping well in winter.', categories: ['learning'], sessions: [{ venue: 'rye', frequency: 'once', date: '2099-01-09', starts: '19:00', ends: '20:30' }] },
  { name: 'Telephone befriending', org: 0, description: 'A weekly friendly phone call.', categories: ['befriending'], needs: ['loneliness'], delivery: ['telephone'], area: { type: 'national' }, audience: ['older_people'], min_age: 65, sessions: [] },
  { name: 'Online mindfulness', org: 0, description: 'Mindfulness over video.', categories: ['mental_wellbeing'], needs: ['anxiety', 'stress'], delivery: ['online'], area: { type: 'radius', center: { lat: 51.47, lon: -0.07 }, radius_m: 10000 }, languages: ['en', 'cy'], sessions: [weekly(null, ['wed'], '20:00', '21:00')] },
  { name: 'Leith community choir', org: 1, description: 'Sing with us: no auditions.', categories: ['music_singing'], needs: ['low_mood'], languages: ['en', 'bsl'], group_size: 'large', cost: { free: false, amount_pence: 2000, per: 'month' }, sessions: [weekly('leith', ['wed'], '19:00', '21:00'), weekly('leith', ['sun'], '15:00', '16:30')] },
  { name: 'Leith sing and sign', org: 1, description: 'Songs with British Sign Language.', categories: ['music_singing'], audience: ['disabled_people'], accessibility: ['bsl'], min_age: 5, max_age: 12, sessions: [weekly('leith', ['sat'], '11:00', '12:00', { valid_from: '2024-01-01', valid_to: '2099-12-31' })] },
  { name: 'Leith choir summer concert', org: 1, description: 'Our summer concert.', categories: ['music_singing'], sessions: [{ venue: 'leith', frequency: 'once', date: '2099-07-04', starts: '18:30', ends: '21:00' }] },
  { name: 'Splott men\'s shed', org: 2, description: 'Woodwork, repairs and a cuppa.', categories: ['mens_shed'], audience: ['men'], cost: { free: false, description: 'Pay what you can' }, area: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[[-3.2, 51.45], [-3.1, 51.45], [-3.1, 51.5], [-3.2, 51.5], [-3.2, 51.45]]] } }, delivery: ['in_person', 'home_visit'], sessions: [weekly('splott', ['mon', 'wed', 'fri'], '09:00', '16:00')] },
  { name: 'Splott repair café', org: 2, description: 'Bring broken things.', categories: ['volunteering'], sessions: [{ venue: 'splott', frequency: 'monthly', days: ['sat'], week_of_month: 1, starts: '10:00', ends: '13:00' }] },
  { name: 'Old walking group', org: 0, description: 'This group met until 2020.', categories: ['walking'], sessions: [weekly('old', ['tue'], '18:00', '19:00', { valid_to: '2020-06-01' })] },
  // Not published: paused, ended, deleted.
  { name: 'Paused yoga', org: 0, status: 'paused', description: 'On a break.', categories: ['yoga_tai_chi'], sessions: [weekly('rye', ['mon'], '18:00', '19:00')] },
  { name: 'Ended dance', org: 1, status: 'ended', description: 'No longer running.', categories: ['dance'], sessions: [weekly('leith', ['thu'], '18:00', '19:00')] },
  { name: 'Deleted swim', org: 2, deleted: true, description: 'Deleted.', categories: ['swimming'], sessions: [weekly('splott', ['sun'], '08:00', '09:00')] },
]

export interface Seeded { orgIds: string[]; venueIds: Record<string, string>; schemeIds: string[] }

export async function seed(db: Db): Promise<Seeded> {
  const orgIds: string[] = []
  for (const o of ORGS) {
    const [r] = await db.query('INSERT INTO organisations (name, charity_number, website, email, description) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [o.name, o.charity_number ?? null, o.website ?? null, o.email ?? null, o.description ?? null])
    orgIds.push(r.id)
  }
  const venueIds: Record<string, string> = {}
  for (const v of VENUES) {
    const [r] = await db.query(`INSERT INTO venues (organisation_id, name, line1, town, postcode, location, accessibility, deleted_at)
      VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography, $8, $9) RETURNING id`,
    [orgIds[v.org], v.name, v.line1, v.town, v.postcode, v.lon, v.lat, v.accessibility, v.deleted ? new Date().toISOString() : null])
    venueIds[v.key] = r.id
  }
  const schemeIds: string[] = []
  for (const s of SCHEMES) {
    const id = randomUUID()
    const c = s.cost ?? { free: true }
    const a = s.area
    await db.query(`INSERT INTO schemes (id, organisation_id, name, description, categories, needs, audience, delivery, cost_free, cost_amount_pence, cost_per,
        cost_concessions, cost_description, min_age, max_age, group_size, languages, contact_phone, contact_email, contact_website, accessibility,
        area_type, area_doc, area_center, area_radius_m, area_shape, status, deleted_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
        CASE WHEN $24::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($25, $24), 4326)::geography END, $26,
        CASE WHEN $27::text IS NULL THEN NULL ELSE ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($27), 4326))::geography END, $28, $29)`,
    [id, orgIds[s.org], s.name, s.description, s.categories, s.needs ?? [], s.audience ?? [], s.delivery ?? ['in_person'], c.free, c.amount_pence ?? null, c.per ?? null,
      c.concessions ?? null, c.description ?? null, s.min_age ?? null, s.max_age ?? null, s.group_size ?? null, s.languages ?? ['en'],
      // a listing has a way to get in touch (issue 12): an e-mail when the row names none
      s.contact?.phone ?? null, s.contact?.email ?? (s.contact ? null : 'groups@example.org.uk'), s.contact?.website ?? null, s.accessibility ?? [],
      a?.type ?? null, a ? JSON.stringify(a) : null, a?.type === 'radius' ? a.center.lat : null, a?.type === 'radius' ? a.center.lon : null,
      a?.type === 'radius' ? a.radius_m : null, a?.type === 'polygon' ? JSON.stringify(a.geometry) : null, s.status ?? 'active', s.deleted ? new Date().toISOString() : null])
    for (const [i, ss] of s.sessions.entries()) {
      await db.query(`INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, week_of_month, date, starts, ends, valid_from, valid_to, except_dates)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, i, ss.venue ? venueIds[ss.venue] : null, ss.frequency, ss.days ?? [], ss.week_of_month ?? null, ss.date ?? null, ss.starts, ss.ends,
        ss.valid_from ?? null, ss.valid_to ?? null, ss.except_dates ?? []])
    }
    schemeIds.push(id)
  }
  return { orgIds, venueIds, schemeIds }
}

/** The oracle's view: published schemes and their current sessions, by today's date. */
export function published(): SchemeSpec[] {
  return SCHEMES.filter((s) => (s.status ?? 'active') === 'active' && !s.deleted)
}
export function currentSessions(s: SchemeSpec, today = new Date().toISOString().slice(0, 10)): SessionSpec[] {
  return s.sessions.filter((ss) => (ss.frequency === 'once' ? ss.date! >= today : !ss.valid_to || ss.valid_to >= today))
}
/** (scheme, venue) pairs published as service_at_locations. */
export function publishedPairs(): Array<{ scheme: SchemeSpec; venue: VenueSpec }> {
  const out: Array<{ scheme: SchemeSpec; venue: VenueSpec }> = []
  for (const s of published()) {
    const keys = new Set(currentSessions(s).map((ss) => ss.venue).filter((k): k is string => k !== null))
    for (const k of keys) {
      const venue = VENUES.find((v) => v.key === k)!
      if (!venue.deleted) out.push({ scheme: s, venue })
    }
  }
  return out
}
