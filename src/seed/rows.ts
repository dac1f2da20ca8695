import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { insertSessions as insertSessionsFrom, names, schemeColumns, values } from '../db/columns.ts'
import { lonLatGeography } from '../db/spatial.ts'
import { loadHolidayRegions } from '../geo/nations.ts'

/**
 * Rows as the seeders build them, one field per column (snake_case like the tables), and
 * the bulk inserts that write them. Both the demo seed and the generator use these, so the
 * data they write has one shape. Rows travel as one JSON parameter per batch
 * (jsonb_to_recordset): one statement, bound values, the same on pg and PGlite.
 */
export interface OrganisationRow {
  id: string; name: string; charity_number?: string; website?: string; email?: string; phone?: string
  description?: string; source_id: string
}

export interface VenueRow {
  id: string; organisation_id: string; name: string; line1: string; line2?: string; town: string; postcode: string
  lat: number; lon: number; accessibility: string[]; source_id: string; deleted?: boolean
}

export type ServiceArea =
  | { type: 'national' }
  | { type: 'radius'; center: { lat: number; lon: number }; radius_m: number }
  | { type: 'polygon'; geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] } }

export interface SchemeRow {
  id: string; organisation_id: string; name: string; description: string
  categories: string[]; needs: string[]; audience: string[]; delivery: string[]
  cost_free: boolean; cost_amount_pence?: number; cost_per?: string; cost_concessions?: string; cost_description?: string
  min_age?: number; max_age?: number; self_referral: boolean; accepting_referrals: boolean; group_size?: string
  languages: string[]; contact_phone?: string; contact_email?: string; contact_website?: string; contact_text?: string
  accessibility: string[]; service_area?: ServiceArea; status: 'active' | 'paused' | 'ended'; always_open?: boolean; by_arrangement?: boolean
  source_id: string; verified_days_ago: number; deleted?: boolean
  breaks?: Array<{ from: string; to: string; reason?: string }>
}

export interface SessionRow {
  scheme_id: string; position: number; venue_id: string | null
  frequency: 'weekly' | 'fortnightly' | 'monthly' | 'once'; days: string[]; week_of_month?: number; date?: string
  starts: string; ends: string; valid_from?: string; valid_to?: string; except_dates: string[]; except_bank_holidays?: boolean; notes?: string
}

const json = (rows: unknown[]) => JSON.stringify(rows)

/** Inserts organisations not already there (by id or source_id); returns the ids written. */
export async function insertOrganisations(db: Db, rows: OrganisationRow[]): Promise<string[]> {
  if (!rows.length) return []
  const out = await db.query<{ id: string }>(`
    INSERT INTO organisations (id, name, charity_number, website, email, phone, description, source_id)
    SELECT id, name, charity_number, website, email, phone, description, source_id
    FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, charity_number text, website text, email text, phone text, description text, source_id text)
    ON CONFLICT DO NOTHING RETURNING id`, [json(rows)])
  return out.map((r) => r.id)
}

/** Inserts venues not already there, each with the bank-holiday calendar of its postcode's nation. */
export async function insertVenues(db: Db, rows: VenueRow[]): Promise<string[]> {
  if (!rows.length) return []
  const regionOf = await loadHolidayRegions()
  const out = await db.query<{ id: string }>(sql`
    INSERT INTO venues (id, organisation_id, name, line1, line2, town, postcode, holiday_region, location, accessibility, source_id, deleted_at)
    SELECT id, organisation_id, name, line1, line2, town, postcode, region, ${lonLatGeography(sql`lon`, sql`lat`)},
      accessibility, source_id, CASE WHEN deleted THEN now() END
    FROM jsonb_to_recordset(${json(rows.map((r) => ({ ...r, region: regionOf(r.postcode) })))}::jsonb) AS r(id uuid, organisation_id uuid, name text,
      line1 text, line2 text, town text, postcode text, region text, lat float8, lon float8, accessibility text[], source_id text, deleted boolean)
    ON CONFLICT DO NOTHING RETURNING id`)
  return out.map((r) => r.id)
}

/** A seeded scheme as its API document, so that it is written through the API's own columns (src/db/columns.ts). */
export function schemeDocument(r: SchemeRow): Record<string, unknown> {
  return {
    name: r.name, description: r.description, categories: r.categories, needs: r.needs, audience: r.audience, delivery: r.delivery,
    cost: { free: r.cost_free, amount_pence: r.cost_amount_pence, per: r.cost_per, concessions: r.cost_concessions, description: r.cost_description },
    min_age: r.min_age, max_age: r.max_age, self_referral: r.self_referral, accepting_referrals: r.accepting_referrals, group_size: r.group_size,
    languages: r.languages, contact: { phone: r.contact_phone, email: r.contact_email, website: r.contact_website, text: r.contact_text },
    accessibility: r.accessibility, service_area: r.service_area, status: r.status, always_open: r.always_open, by_arrangement: r.by_arrangement,
    breaks: r.breaks,
  }
}

export async function insertSchemes(db: Db, rows: SchemeRow[]): Promise<string[]> {
  if (!rows.length) return []
  const cols = schemeColumns(sql`r.doc`)
  const items = rows.map((r) => ({ id: r.id, organisation_id: r.organisation_id, source_id: r.source_id, days: r.verified_days_ago,
    deleted: !!r.deleted, doc: schemeDocument(r) }))
  const out = await db.query<{ id: string }>(sql`
    INSERT INTO schemes (id, organisation_id, source_id, ${names(cols)}, last_verified_at, created_at, updated_at, deleted_at)
    SELECT id, organisation_id, source_id, ${values(cols)},
      now() - make_interval(days => r.days), now() - make_interval(days => r.days), now() - make_interval(days => r.days),
      CASE WHEN deleted THEN now() END
    FROM jsonb_to_recordset(${json(items)}::jsonb) AS r(id uuid, organisation_id uuid, source_id text, days int, deleted boolean, doc jsonb)
    ON CONFLICT DO NOTHING RETURNING id`)
  return out.map((r) => r.id)
}

export async function insertSessions(db: Db, rows: SessionRow[]): Promise<number> {
  if (!rows.length) return 0
  const from = sql`FROM jsonb_array_elements(${json(rows)}::jsonb) AS e(s)`
  const out = await db.query<{ n: number }>(sql`
    WITH ins AS (${insertSessionsFrom(from, sql`(e.s ->> 'scheme_id')::uuid`, sql`(e.s ->> 'position')::smallint`)} ON CONFLICT DO NOTHING RETURNING 1)
    SELECT count(*)::int AS n FROM ins`)
  return out[0].n
}
