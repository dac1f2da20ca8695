import { addDays, type Random } from './random.ts'
import type { Archetype, Cost, Day, Slot } from './archetypes.ts'
import type { SchemeRow, ServiceArea, SessionRow } from './rows.ts'

/**
 * Turns an archetype into a scheme's fields and sessions, obeying SPEC §2's consistency
 * rules: venue sessions need in_person, remote sessions a remote mode, remote modes a
 * service area; fortnightly sessions have valid_from, monthly ones week_of_month, once
 * ones a date and no days; ends after starts.
 */
export const DAYS: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const WEEKS = [1, 2, 3, 4, -1]
const COURSES = new Set(['cookery', 'weight', 'running', 'digital', 'jobs'])

export function weekday(date: string): Day {
  return DAYS[(new Date(date + 'T12:00:00Z').getUTCDay() + 6) % 7]
}

/** The dates from 24 December to 1 January, after today, that fall on one of the days: no session over Christmas. */
export function christmasDates(today: string, days: Day[]): string[] {
  const key = today + days.join()
  let dates = christmasCache.get(key)
  if (!dates) christmasCache.set(key, (dates = christmasDatesUncached(today, days)))
  return [...dates]
}
const christmasCache = new Map<string, string[]>()

function christmasDatesUncached(today: string, days: Day[]): string[] {
  const year = Number(today.slice(0, 4))
  const out: string[] = []
  for (const y of [year, year + 1]) {
    for (let d = `${y}-12-24`; d <= `${y + 1}-01-01`; d = addDays(d, 1)) if (d > today && days.includes(weekday(d))) out.push(d)
  }
  return out.slice(0, 4)
}

/**
 * A share of the schemes, by id (no draw from the random stream, so that every other field of
 * a seed stays as it was): `n` in 16. Breaks and bank holidays are chosen this way.
 */
/** Chosen by the id alone, `n` in 16 (no draw from the seed's generator, so the rest of a seed is unchanged); `salt` picks another sixteenth. */
export function byId(id: string, n: number, salt = ''): boolean {
  const key = salt + id
  let h = 0x811c9dc5 // FNV-1a: the generator's ids share their last digits, so the whole id is hashed
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return (h >>> 0) % 16 < n
}

/** One scheme in eight takes the August after today off: a summer break. */
export function composeBreaks(schemeId: string, today: string): SchemeRow['breaks'] {
  if (!byId(schemeId, 2)) return undefined
  const year = Number(today.slice(0, 4)) + (today.slice(5) > '08-31' ? 1 : 0)
  return [{ from: `${year}-08-01`, to: `${year}-08-31`, reason: 'summer break' }]
}

export interface SessionPlan {
  /** Venues the sessions may use (in person); none: remote only. */
  venueIds: string[]
  /** Also add a remote session (hybrid or remote scheme). */
  remote?: boolean
  today: string
  /** Force the first session to this slot and frequency. */
  first?: { slot: Slot; frequency: SessionRow['frequency'] }
  ended?: boolean
  /** How many sessions (before any open day or remote one); otherwise 1–3, mostly 1. */
  count?: number
}

export function composeSessions(rng: Random, a: Archetype, schemeId: string, plan: SessionPlan): SessionRow[] {
  const out: SessionRow[] = []
  const count = plan.first ? 1 : plan.count ?? rng.weighted([[1, 70], [2, 25], [3, 5]] as const)
  const slots = rng.some(a.slots, count)
  // more sessions than the archetype has slots: the same times on other days
  while (slots.length < count) {
    const slot = rng.pick(a.slots)
    slots.push({ ...slot, days: [rng.pick(DAYS)] })
  }
  const course = COURSES.has(a.key) && rng.chance(0.5)
  const add = (slot: Slot, frequency: SessionRow['frequency'], venueId: string | null, notes?: string) => {
    const row: SessionRow = { scheme_id: schemeId, position: out.length, venue_id: venueId, frequency, days: [], starts: slot.starts, ends: slot.ends,
      except_dates: [] }
    if (frequency === 'once') {
      row.date = addDays(plan.today, rng.int(4, 80))
    } else {
      row.days = frequency === 'weekly' && slot.days.length === 1 && rng.chance(0.12)
        ? DAYS.filter((d) => d === slot.days[0] || d === DAYS[(DAYS.indexOf(slot.days[0]) + 3) % 7])
        : [...slot.days]
    }
    if (frequency === 'monthly') row.week_of_month = rng.pick(WEEKS)
    if (frequency === 'fortnightly') row.valid_from = addDays(plan.today, -rng.int(7, 300))
    if (plan.ended) {
      // ended: every session stopped a while ago
      if (frequency === 'once') row.date = addDays(plan.today, -rng.int(10, 90))
      else {
        row.valid_to = addDays(plan.today, -rng.int(10, 90))
        row.valid_from = addDays(row.valid_to, -rng.int(100, 300))
      }
    } else if (course && frequency !== 'once') {
      // a term-time course that started recently
      row.valid_from = addDays(plan.today, -rng.int(0, 40))
      row.valid_to = addDays(row.valid_from, rng.pick([8, 10, 12]) * 7)
    }
    if (frequency === 'weekly' && !plan.ended && rng.chance(0.3)) {
      row.except_dates = christmasDates(plan.today, row.days as Day[])
      if (row.except_dates.length) row.notes = 'No session over Christmas and New Year.'
    }
    // a quarter of the weekly sessions at a venue do not meet on bank holidays
    if (venueId && frequency === 'weekly' && byId(`${schemeId}:bank holidays`, 4)) row.except_bank_holidays = true
    if (notes) row.notes = notes
    out.push(row)
  }
  const frequency = (): SessionRow['frequency'] => a.monthly
    ? rng.weighted([['monthly', 75], ['weekly', 15], ['fortnightly', 10]] as const)
    : rng.weighted([['weekly', 62], ['fortnightly', 16], ['monthly', 16], ['once', 6]] as const)

  if (plan.venueIds.length) {
    if (plan.first) add(plan.first.slot, plan.first.frequency, plan.venueIds[0])
    else for (const [i, slot] of slots.entries()) add(slot, frequency(), plan.venueIds[i % plan.venueIds.length])
    if (!plan.first && plan.count === undefined && rng.chance(0.06)) add(rng.pick(a.slots), 'once', rng.pick(plan.venueIds),
      'Open day: come along and try it out.')
  }
  if (plan.remote || !plan.venueIds.length) {
    const slot = rng.pick(a.slots)
    add(slot, plan.venueIds.length ? 'weekly' : frequency(), null, 'Online: the joining link is sent when you sign up.')
  }
  return out
}

export function composeCost(rng: Random, a: Archetype): Pick<SchemeRow,
  'cost_free' | 'cost_amount_pence' | 'cost_per' | 'cost_concessions' | 'cost_description'> {
  const c: Cost = rng.pick(a.costs)
  if (c.free) return { cost_free: true }
  return { cost_free: false, cost_amount_pence: c.amount_pence, cost_per: c.per, cost_concessions: c.concessions, cost_description: c.description }
}

/** A circle around a point, as a service area. */
export function radiusArea(lat: number, lon: number, radius_m: number): ServiceArea {
  return { type: 'radius', center: { lat: round(lat), lon: round(lon) }, radius_m }
}

/** A rough octagon around a point (a local authority's patch, say), as a polygon service area. */
export function polygonArea(lat: number, lon: number, km: number): ServiceArea {
  const ring: number[][] = []
  for (let i = 0; i <= 8; i++) {
    const a = ((i % 8) * Math.PI) / 4
    ring.push([round(lon + (km / (111.32 * Math.cos((lat * Math.PI) / 180))) * Math.cos(a)), round(lat + (km / 110.57) * Math.sin(a))])
  }
  return { type: 'polygon', geometry: { type: 'Polygon', coordinates: [ring] } }
}

export const round = (x: number) => Math.round(x * 1e6) / 1e6
