/**
 * An in-memory reading of SPEC §3, written from the SPEC and not from the SQL, that the
 * oracle test compares with every page the API returns. Where geometry is within 0.1% of
 * a radius edge (or 50 m of a polygon edge) the answer is "either": such a scheme may be
 * present or absent, and is not checked further.
 */
import { distance, type LatLon } from './geodesic.ts'
import { current, runs, upcoming, type OSession } from './schedule.ts'

export interface OVenue { id: string; lat: number; lon: number; accessibility: string[]; deleted: boolean }

export type OArea =
  | { type: 'national' }
  | { type: 'radius'; center: LatLon; radius_m: number }
  | { type: 'polygon'; geometry: { type: 'Polygon'; coordinates: number[][][] } }

export interface OScheme {
  id: string
  name: string
  description: string
  organisation: { id: string; name: string }
  categories: string[]
  needs: string[]
  audience: string[]
  delivery: string[]
  cost_free: boolean
  cost_amount_pence: number | null
  min_age: number | null
  max_age: number | null
  self_referral: boolean
  accepting_referrals: boolean
  group_size: string | null
  languages: string[]
  accessibility: string[]
  service_area: OArea | null
  status: string
  deleted: boolean
  verified_days_ago: number
  always_open: boolean
  by_arrangement: boolean
  sessions: OSession[]
}

export interface OQuery {
  origin: LatLon | null
  radius_m: number
  days?: string[]
  period?: string[]
  starts_after?: string
  ends_before?: string
  date?: string
  accessibility?: string[]
  delivery?: string[]
  category?: string[]
  need?: string[]
  audience?: string[]
  audience_only?: boolean
  group_size?: string[]
  language?: string[]
  free?: boolean
  max_cost_pence?: number
  age?: number
  self_referral?: boolean
  accepting_referrals?: boolean
  q?: string
  organisation_id?: string
  verified_within_days?: number
}

export type Tri = 'yes' | 'no' | 'maybe'
const EDGE = 0.001

export interface Expected {
  id: string
  name: string
  certain: boolean
  kind: 'in_person' | 'remote' | 'none'
  /** in person: each matching venue in reach, its distance and its matching sessions' notes */
  venues: Array<{ id: string; distance: number; notes: string[] }>
  notes: string[]
  next: string[]
}

// Minutes from the midnight that begins the session's day; night runs to 06:00 the next
// morning and also covers the small hours of the day itself.
const WINDOWS: Record<string, Array<[number, number]>> = {
  morning: [[360, 720]], afternoon: [[720, 1020]], evening: [[1020, 1380]], night: [[1380, 1800], [0, 360]],
}
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
/** A session's [start, end) in those minutes: ends at or before starts is the next morning. */
const span = (ss: OSession): [number, number] => [minutes(ss.starts), minutes(ss.ends) + (ss.ends <= ss.starts ? 1440 : 0)]
const hasAll = (have: string[], want: string[] | undefined) => !want || want.every((w) => have.includes(w))
const hasAny = (have: string[], want: string[] | undefined) => !want || want.some((w) => have.includes(w))
const words = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)

function schemeOk(s: OScheme, q: OQuery): boolean {
  if (s.deleted || s.status !== 'active') return false
  if (!hasAny(s.categories, q.category) || !hasAny(s.needs, q.need)) return false
  // suitable for: open to everyone (no audience listed) unless audience_only, or listing one asked
  if (q.audience && !(hasAny(s.audience, q.audience) || (s.audience.length === 0 && !q.audience_only))) return false
  if (q.group_size && !(s.group_size && q.group_size.includes(s.group_size))) return false
  if (!hasAny(s.languages, q.language)) return false
  if (q.free !== undefined && s.cost_free !== q.free) return false
  if (q.max_cost_pence !== undefined && !(s.cost_free || (s.cost_amount_pence !== null && s.cost_amount_pence <= q.max_cost_pence))) return false
  if (q.age !== undefined && ((s.min_age !== null && s.min_age > q.age) || (s.max_age !== null && s.max_age < q.age))) return false
  if (q.self_referral !== undefined && s.self_referral !== q.self_referral) return false
  if (q.accepting_referrals !== undefined && s.accepting_referrals !== q.accepting_referrals) return false
  if (q.q && ![s.name, s.description, s.organisation.name].some((t) => words(t).includes(q.q!.toLowerCase()))) return false
  if (q.organisation_id && s.organisation.id !== q.organisation_id) return false
  // verified_days_ago days before the pinned clock, on the day: within N days when ≤ N
  if (q.verified_within_days !== undefined && s.verified_days_ago > q.verified_within_days) return false
  return true
}

function sessionOk(ss: OSession, q: OQuery, today: string): boolean {
  if (!current(ss, today)) return false
  if (q.days) {
    const d = ss.frequency === 'once' ? [new Date(ss.date + 'T00:00:00Z').toUTCString().slice(0, 3).toLowerCase()] : ss.days
    if (!q.days.some((x) => d.includes(x))) return false
  }
  const [a, b] = span(ss)
  if (q.period && !q.period.some((p) => WINDOWS[p].some(([x, y]) => a < y && b > x))) return false
  if (q.starts_after && ss.starts < q.starts_after) return false
  // over by the time: a session past midnight by a time of the next morning, up to 06:00
  if (q.ends_before && !(b >= 1440 ? minutes(q.ends_before) <= 360 && b - 1440 <= minutes(q.ends_before) : b <= minutes(q.ends_before))) return false
  if (q.date && !runs(ss, q.date)) return false
  return true
}

const asks = (q: OQuery) => !!(q.days || q.period || q.starts_after || q.ends_before || q.date)

function within(d: number, r: number): Tri {
  if (d <= r * (1 - EDGE)) return 'yes'
  if (d > r * (1 + EDGE)) return 'no'
  return 'maybe'
}

/** Point in a lon/lat ring by ray casting, and whether it is within 50 m of an edge. */
function inPolygon(p: LatLon, rings: number[][][]): Tri {
  const ring = rings[0]
  let inside = false
  let nearest = Infinity
  const kx = 111_320 * Math.cos((p.lat * Math.PI) / 180)
  const ky = 110_574
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j]
    if ((yi > p.lat) !== (yj > p.lat) && p.lon < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside
    const ax = (xi - p.lon) * kx, ay = (yi - p.lat) * ky, bx = (xj - p.lon) * kx, by = (yj - p.lat) * ky
    const dx = bx - ax, dy = by - ay
    const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)))
    nearest = Math.min(nearest, Math.hypot(ax + t * dx, ay + t * dy))
  }
  if (nearest < 50) return 'maybe'
  return inside ? 'yes' : 'no'
}

function covers(area: OArea | null, p: LatLon): Tri {
  if (!area) return 'no'
  if (area.type === 'national') return 'yes'
  if (area.type === 'radius') return within(distance(area.center, p), area.radius_m)
  return inPolygon(p, area.geometry.coordinates)
}

const or = (a: Tri, b: Tri): Tri => (a === 'yes' || b === 'yes' ? 'yes' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'no')

export function evaluate(schemes: OScheme[], venues: Map<string, OVenue>, q: OQuery, nowMs: number, today: string): Expected[] {
  const delivery = q.delivery ?? (q.origin ? ['in_person'] : ['in_person', 'online', 'telephone', 'home_visit', 'text_chat'])
  const remoteModes = delivery.filter((d) => d !== 'in_person')
  const out: Expected[] = []
  for (const s of schemes) {
    if (!schemeOk(s, q)) continue
    // in person
    let inPerson: Tri = 'no'
    const byVenue = new Map<string, { id: string; distance: number; notes: string[]; reach: Tri }>()
    if (delivery.includes('in_person')) {
      for (const ss of s.sessions) {
        if (ss.venue_id === null) continue
        const v = venues.get(ss.venue_id)!
        if (v.deleted || !sessionOk(ss, q, today) || !hasAll([...v.accessibility, ...s.accessibility], q.accessibility)) continue
        const d = q.origin ? distance(q.origin, v) : 0
        const reach = q.origin ? within(d, q.radius_m) : 'yes'
        if (reach === 'no') continue
        inPerson = or(inPerson, reach)
        const entry = byVenue.get(v.id) ?? { id: v.id, distance: d, notes: [], reach }
        entry.notes.push(ss.notes)
        byVenue.set(v.id, entry)
      }
    }
    // remote
    let remote: Tri = 'no'
    const remoteSessions = s.sessions.filter((ss) => ss.venue_id === null)
    const remoteMatching = remoteSessions.filter((ss) => sessionOk(ss, q, today))
    if (remoteModes.some((m) => s.delivery.includes(m)) && hasAll(s.accessibility, q.accessibility) &&
      (s.always_open || s.by_arrangement || remoteMatching.length > 0 || (remoteSessions.length === 0 && !asks(q)))) {
      remote = q.origin ? covers(s.service_area, q.origin) : 'yes'
    }
    const present = or(inPerson, remote)
    if (present === 'no') continue
    const certain = q.origin ? inPerson === 'yes' || (inPerson === 'no' && remote === 'yes') : true
    const kind = inPerson === 'yes' ? 'in_person' : inPerson === 'no' && remote === 'yes' ? 'remote' : 'none'
    let venuesInReach = [...byVenue.values()].filter((v) => v.reach === 'yes')
    let notes: string[]
    if (!q.origin) {
      // without a place: every session that satisfied the filters, in person or remote
      venuesInReach = []
      const remoteOk = remote === 'yes'
      notes = s.sessions.filter((ss) => (ss.venue_id === null ? remoteOk && sessionOk(ss, q, today) : [...byVenue.values()].some((v) => v.id === ss.venue_id && v.notes.includes(ss.notes)))).map((ss) => ss.notes)
    } else if (kind === 'remote') {
      notes = remoteMatching.map((ss) => ss.notes)
    } else {
      venuesInReach.sort((x, y) => x.distance - y.distance)
      notes = venuesInReach[0]?.notes ?? []
    }
    const matching = s.sessions.filter((ss) => notes.includes(ss.notes))
    out.push({
      id: s.id, name: s.name, certain, kind: q.origin ? kind : 'none',
      venues: venuesInReach.map(({ id, distance, notes }) => ({ id, distance, notes })),
      // by arrangement: times agreed with each person, so no next occurrences
      notes: notes.sort(), next: s.by_arrangement ? [] : upcoming(matching, nowMs),
    })
  }
  return out
}

/** Byte-wise order of lower-cased names, then id: SPEC §3's "by name". */
export function byName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  const c = Buffer.compare(Buffer.from(a.name.toLowerCase()), Buffer.from(b.name.toLowerCase()))
  return c !== 0 ? c : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Every problem with a walk's items (all pages, in order) against the expectation; empty
 * when the API answered as SPEC §3 says.
 */
export function compare(items: any[], expected: Expected[], withPlace: boolean): string[] {
  const problems: string[] = []
  const exp = new Map(expected.map((e) => [e.id, e]))
  const seen = new Set<string>()
  for (const it of items) {
    if (seen.has(it.id)) problems.push(`${it.name}: returned twice`)
    seen.add(it.id)
    const e = exp.get(it.id)
    if (!e) { problems.push(`${it.name}: returned but should not match`); continue }
    if (!e.certain) continue
    const notes = it.matching_sessions.map((s: any) => s.notes).sort()
    if (withPlace && e.kind === 'in_person') {
      if (it.distance_m === null || !it.venue) { problems.push(`${it.name}: expected in person, got remote`); continue }
      const best = e.venues[0].distance
      const v = e.venues.find((x) => x.id === it.venue.id)
      if (!v) { problems.push(`${it.name}: venue ${it.venue.id} is not a matching venue in reach`); continue }
      if (v.distance > best * (1 + EDGE) + 0.01) problems.push(`${it.name}: venue at ${v.distance} m, a nearer one at ${best} m`)
      if (Math.abs(it.distance_m - v.distance) > Math.max(v.distance * EDGE, 0.001)) problems.push(`${it.name}: distance_m ${it.distance_m}, geodesic ${v.distance}`)
      if (JSON.stringify(notes) !== JSON.stringify([...v.notes].sort())) problems.push(`${it.name}: matching_sessions ${notes} ≠ ${v.notes}`)
    } else {
      if (withPlace && e.kind === 'remote' && (it.distance_m !== null || it.venue !== null)) problems.push(`${it.name}: expected remote, got in person`)
      if (!withPlace && (it.distance_m !== null || it.venue !== null)) problems.push(`${it.name}: distance or venue without a place`)
      if (JSON.stringify(notes) !== JSON.stringify(e.notes)) problems.push(`${it.name}: matching_sessions ${notes} ≠ ${e.notes}`)
    }
    if (JSON.stringify(it.next_occurrences) !== JSON.stringify(e.next) && (withPlace ? e.kind !== 'in_person' || it.venue.id === e.venues[0].id : true)) {
      problems.push(`${it.name}: next_occurrences ${it.next_occurrences} ≠ ${e.next}`)
    }
  }
  for (const e of expected) if (e.certain && !seen.has(e.id)) problems.push(`${e.name}: missing`)

  // order, over the certain items
  const certain = items.filter((it) => exp.get(it.id)?.certain)
  for (let i = 1; i < certain.length; i++) {
    const a = certain[i - 1], b = certain[i]
    const ka = withPlace ? (a.distance_m === null ? 1 : 0) : 1
    const kb = withPlace ? (b.distance_m === null ? 1 : 0) : 1
    if (ka > kb) problems.push(`${b.name}: in person after a remote item`)
    else if (ka === kb && ka === 0) {
      const da = exp.get(a.id)!.venues.find((v) => v.id === a.venue.id)!.distance
      const db = exp.get(b.id)!.venues.find((v) => v.id === b.venue.id)!.distance
      if (db < da * (1 - EDGE) - 0.01) problems.push(`${b.name} (${db} m) after ${a.name} (${da} m)`)
      if (a.venue.id === b.venue.id && a.id > b.id) problems.push(`${b.name}: same venue as ${a.name} but a smaller id after it`)
    } else if (ka === kb && byName(a, b) >= 0) problems.push(`${b.name} after ${a.name}: not by lower(name) bytes, then id`)
  }
  return problems
}
