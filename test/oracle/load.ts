/**
 * Writes a generated directory into a fresh app and returns the oracle's view of it (with
 * the ids the service gave). Through the write API when it is there (test/fixtures/api.ts),
 * as a client would; otherwise straight into the tables (test/fixtures/sql.ts).
 */
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../src/db/client.ts'
import { insertOrganisation, insertScheme, insertVenue } from '../fixtures/sql.ts'
import { ORGANISATIONS, type GenScheme, type GenVenue } from './dataset.ts'
import type { OScheme, OVenue } from './search.ts'
import type { OSession } from './schedule.ts'

export interface Loaded {
  organisations: Array<{ id: string; name: string }>
  venues: Map<string, OVenue>
  schemes: OScheme[]
  via: 'api' | 'sql'
}

export async function loadDataset(app: FastifyInstance, db: Db, data: { venues: GenVenue[]; schemes: GenScheme[] }, via: 'api' | 'sql'): Promise<Loaded> {
  const api = app.hasRoute({ method: 'POST', url: '/v1/schemes' }) && app.hasRoute({ method: 'POST', url: '/v1/venues' })
  return via === 'api' && api ? viaApi(app, db, data) : viaSql(db, data)
}

function oracleScheme(g: GenScheme, id: string, organisation: { id: string; name: string }, venueIds: string[]): OScheme {
  const sessions: OSession[] = g.sessions.map((s) => ({ ...s, venue_id: s.venue === null ? null : venueIds[s.venue] }))
  const { org: _org, sessions: _s, ...rest } = g
  return { ...rest, id, organisation, sessions }
}

async function viaSql(db: Db, data: { venues: GenVenue[]; schemes: GenScheme[] }): Promise<Loaded> {
  const organisations = []
  for (const name of ORGANISATIONS) organisations.push(await insertOrganisation(db, name))
  const venueIds: string[] = []
  const venues = new Map<string, OVenue>()
  for (const v of data.venues) {
    const { id } = await insertVenue(db, { organisation_id: organisations[v.org].id, lat: v.lat, lon: v.lon, accessibility: v.accessibility, deleted: v.deleted })
    venueIds.push(id)
    venues.set(id, { id, lat: v.lat, lon: v.lon, accessibility: v.accessibility, deleted: v.deleted })
  }
  const schemes: OScheme[] = []
  for (const g of data.schemes) {
    const { id } = await insertScheme(db, {
      ...g,
      organisation_id: organisations[g.org].id,
      sessions: g.sessions.map((s) => ({ ...s, venue_id: s.venue === null ? null : venueIds[s.venue] })),
    })
    schemes.push(oracleScheme(g, id, organisations[g.org], venueIds))
  }
  return { organisations, venues, schemes, via: 'sql' }
}

async function viaApi(app: FastifyInstance, db: Db, data: { venues: GenVenue[]; schemes: GenScheme[] }): Promise<Loaded> {
  const { call, createOrganisation, createVenue } = await import('../fixtures/api.ts')
  const orgs = []
  for (const name of ORGANISATIONS) orgs.push(await createOrganisation(app, { name }))
  const organisations = orgs.map((o) => ({ id: o.organisation.id as string, name: o.organisation.name as string }))
  const venueIds: string[] = []
  const venues = new Map<string, OVenue>()
  for (const v of data.venues) {
    const key = orgs[v.org].key
    const created = await createVenue(app, key, { location: { lat: v.lat, lon: v.lon }, accessibility: v.accessibility })
    if (v.deleted) {
      // deleted before any scheme uses it (a venue in use cannot be deleted): sessions there are dropped
      const res = await call(app, 'DELETE', `/v1/venues/${created.id}`, { key, headers: { 'if-match': `"${created.version}"` } })
      if (res.statusCode !== 204) throw new Error(`deleting venue: ${res.statusCode} ${res.body}`)
    }
    venueIds.push(created.id)
    venues.set(created.id, { id: created.id, lat: v.lat, lon: v.lon, accessibility: v.accessibility, deleted: v.deleted })
  }
  const schemes: OScheme[] = []
  for (const g0 of data.schemes) {
    const g = { ...g0, sessions: g0.sessions.filter((s) => s.venue === null || !data.venues[s.venue].deleted) }
    const key = orgs[g.org].key
    const body: Record<string, unknown> = {
      name: g.name, description: g.description, categories: g.categories, needs: g.needs, audience: g.audience, delivery: g.delivery,
      cost: g.cost_free ? { free: true } : g.cost_amount_pence === null ? { free: false } : { free: false, amount_pence: g.cost_amount_pence, per: 'session' },
      self_referral: g.self_referral, accepting_referrals: g.accepting_referrals, languages: g.languages, accessibility: g.accessibility,
      contact: { email: 'hello@example.org.uk' },
      status: g.status, always_open: g.always_open, by_arrangement: g.by_arrangement,
      sessions: g.sessions.map((s) => {
        const out: Record<string, unknown> = { venue_id: s.venue === null ? null : venueIds[s.venue], frequency: s.frequency, starts: s.starts, ends: s.ends, notes: s.notes }
        if (s.frequency !== 'once') out.days = s.days
        if (s.week_of_month !== null) out.week_of_month = s.week_of_month
        if (s.date !== null) out.date = s.date
        if (s.valid_from !== null) out.valid_from = s.valid_from
        if (s.valid_to !== null) out.valid_to = s.valid_to
        if (s.except_dates.length) out.except_dates = s.except_dates
        return out
      }),
    }
    if (g.min_age !== null) body.min_age = g.min_age
    if (g.max_age !== null) body.max_age = g.max_age
    if (g.group_size !== null) body.group_size = g.group_size
    if (g.service_area) body.service_area = g.service_area
    const res = await call(app, 'POST', '/v1/schemes', { key, body })
    if (res.statusCode !== 201) throw new Error(`creating scheme: ${res.statusCode} ${res.body}`)
    const created = res.json()
    if (g.deleted) {
      const del = await call(app, 'DELETE', `/v1/schemes/${created.id}`, { key, headers: { 'if-match': res.headers.etag as string } })
      if (del.statusCode !== 204) throw new Error(`deleting scheme: ${del.statusCode} ${del.body}`)
    }
    // The API sets last_verified_at to now on every write; the oracle needs older ones.
    await db.query(sql`UPDATE schemes SET last_verified_at = last_verified_at - make_interval(days => ${g.verified_days_ago}::int) WHERE id = ${created.id}::uuid`)
    schemes.push(oracleScheme(g, created.id, organisations[g.org], venueIds))
  }
  return { organisations, venues, schemes, via: 'api' }
}
