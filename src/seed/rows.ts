import type { Db } from '../db/client.ts'

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
  languages: string[]; contact_phone?: string; contact_email?: string; contact_website?: string
  accessibility: string[]; service_area?: ServiceArea; status: 'active' | 'paused' | 'ended'
  source_id: string; verified_days_ago: number; deleted?: boolean
}

export interface SessionRow {
  scheme_id: string; position: number; venue_id: string | null
  frequency: 'weekly' | 'fortnightly' | 'monthly' | 'once'; days: string[]; week_of_month?: number; date?: string
  starts: string; ends: string; valid_from?: string; valid_to?: string; except_dates: string[]; notes?: string
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

export async function insertVenues(db: Db, rows: VenueRow[]): Promise<string[]> {
  if (!rows.length) return []
  const out = await db.query<{ id: string }>(`
    INSERT INTO venues (id, organisation_id, name, line1, line2, town, postcode, location, accessibility, source_id, deleted_at)
    SELECT id, organisation_id, name, line1, line2, town, postcode, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography,
      accessibility, source_id, CASE WHEN deleted THEN now() END
    FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, organisation_id uuid, name text, line1 text, line2 text, town text, postcode text,
      lat float8, lon float8, accessibility text[], source_id text, deleted boolean)
    ON CONFLICT DO NOTHING RETURNING id`, [json(rows)])
  return out.map((r) => r.id)
}

export async function insertSchemes(db: Db, rows: SchemeRow[]): Promise<string[]> {
  if (!rows.length) return []
  const out = await db.query<{ id: string }>(`
    INSERT INTO schemes (id, organisation_id, name, description, categories, needs, audience, delivery,
      cost_free, cost_amount_pence, cost_per, cost_concessions, cost_description, min_age, max_age,
      self_referral, accepting_referrals, group_size, languages, contact_phone, contact_email, contact_website,
      accessibility, area_type, area_doc, area_center, area_radius_m, area_shape, status, source_id, last_verified_at,
      created_at, updated_at, deleted_at)
    SELECT id, organisation_id, name, description, categories, needs, audience, delivery,
      cost_free, cost_amount_pence, cost_per, cost_concessions, cost_description, min_age, max_age,
      self_referral, accepting_referrals, group_size, languages, contact_phone, contact_email, contact_website,
      accessibility, service_area->>'type', service_area,
      CASE WHEN service_area->>'type' = 'radius' THEN ST_SetSRID(ST_MakePoint(
        (service_area->'center'->>'lon')::float8, (service_area->'center'->>'lat')::float8), 4326)::geography END,
      CASE WHEN service_area->>'type' = 'radius' THEN (service_area->>'radius_m')::int END,
      CASE WHEN service_area->>'type' = 'polygon' THEN ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(service_area->>'geometry'), 4326))::geography END,
      status, source_id, now() - make_interval(days => verified_days_ago),
      now() - make_interval(days => verified_days_ago), now() - make_interval(days => verified_days_ago),
      CASE WHEN deleted THEN now() END
    FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, organisation_id uuid, name text, description text, categories text[], needs text[],
      audience text[], delivery text[], cost_free boolean, cost_amount_pence int, cost_per text, cost_concessions text, cost_description text,
      min_age smallint, max_age smallint, self_referral boolean, accepting_referrals boolean, group_size text, languages text[],
      contact_phone text, contact_email text, contact_website text, accessibility text[], service_area jsonb, status text, source_id text,
      verified_days_ago int, deleted boolean)
    ON CONFLICT DO NOTHING RETURNING id`, [json(rows)])
  return out.map((r) => r.id)
}

export async function insertSessions(db: Db, rows: SessionRow[]): Promise<number> {
  if (!rows.length) return 0
  const out = await db.query<{ n: number }>(`
    WITH ins AS (
      INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, week_of_month, date, starts, ends, valid_from, valid_to, except_dates, notes)
      SELECT scheme_id, position, venue_id, frequency, days, week_of_month, date, starts, ends, valid_from, valid_to,
        coalesce(except_dates, '{}'), notes
      FROM jsonb_to_recordset($1::jsonb) AS r(scheme_id uuid, position smallint, venue_id uuid, frequency text, days text[],
        week_of_month smallint, date date, starts time, ends time, valid_from date, valid_to date, except_dates date[], notes text)
      ON CONFLICT DO NOTHING RETURNING 1)
    SELECT count(*)::int AS n FROM ins`, [json(rows)])
  return out[0].n
}
