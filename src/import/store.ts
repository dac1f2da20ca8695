import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { insertSessions, names, schemeColumns, values } from '../db/columns.ts'
import { organisationJson, schemeDocumentJson, venueJson } from '../db/documents.ts'
import { lonLatGeography } from '../db/spatial.ts'
import { loadHolidayRegions } from '../geo/nations.ts'

// The import's own SQL: organisations and venues matched on their source ids (schemes are
// written through the schemes repository, which applies every rule of the API).

type Doc = Record<string, any>

export async function organisationExists(tx: Db, id: string): Promise<boolean> {
  return (await tx.query(sql`SELECT 1 FROM organisations WHERE id = ${id}`)).length > 0
}

export async function findOrganisationBySource(tx: Db, ref: string): Promise<{ id: string; doc: Doc } | undefined> {
  const [row] = await tx.query(sql`SELECT o.id, ${organisationJson('o')} AS doc FROM organisations o WHERE o.source_id = ${ref}`)
  return row as { id: string; doc: Doc } | undefined
}

const orgValues = (d: Doc) => [d.name, d.charity_number ?? null, d.website ?? null, d.email ?? null, d.phone ?? null, d.description ?? null]

export async function insertOrganisation(tx: Db, ref: string, d: Doc): Promise<string> {
  const [name, charity, website, email, phone, description] = orgValues(d)
  const [row] = await tx.query(sql`
    INSERT INTO organisations (name, charity_number, website, email, phone, description, source_id)
    VALUES (${name}, ${charity}, ${website}, ${email}, ${phone}, ${description}, ${ref}) RETURNING id`)
  return row.id
}

export async function updateOrganisation(tx: Db, id: string, d: Doc): Promise<void> {
  const [name, charity, website, email, phone, description] = orgValues(d)
  await tx.query(sql`
    UPDATE organisations SET name = ${name}, charity_number = ${charity}, website = ${website}, email = ${email}, phone = ${phone},
      description = ${description}, version = version + 1, updated_at = now()
    WHERE id = ${id}`)
}

export interface StoredVenue { id: string; organisation_id: string; deleted: boolean; doc: Doc }

/** A venue by its Signpost id, or by its source id within the organisation. */
export async function findVenue(tx: Db, organisationId: string, by: { id?: string; ref?: string }): Promise<StoredVenue | undefined> {
  const where = by.id ? sql`v.id = ${by.id}` : sql`v.organisation_id = ${organisationId} AND v.source_id = ${by.ref!}`
  const [row] = await tx.query(sql`
    SELECT v.id, v.organisation_id, v.deleted_at IS NOT NULL AS deleted, ${venueJson('v')} AS doc FROM venues v WHERE ${where}`)
  return row as StoredVenue | undefined
}

export interface PlacedVenue { name: string; line1: string; line2: string | null; town: string; postcode: string; lat: number; lon: number; accessibility: string[] }

// Every venue written here gets the bank-holiday calendar of its postcode's nation (src/geo/nations.ts).

export async function insertVenue(tx: Db, organisationId: string, ref: string | undefined, v: PlacedVenue): Promise<string> {
  const region = (await loadHolidayRegions())(v.postcode)
  const [row] = await tx.query(sql`
    INSERT INTO venues (organisation_id, name, line1, line2, town, postcode, holiday_region, location, accessibility, source_id)
    VALUES (${organisationId}, ${v.name}, ${v.line1}, ${v.line2}, ${v.town}, ${v.postcode}, ${region},
      ${lonLatGeography(v.lon, v.lat)},
      ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(v.accessibility)}::jsonb))::text[], ${ref ?? null})
    RETURNING id`)
  return row.id
}

export async function updateVenue(tx: Db, id: string, v: PlacedVenue): Promise<void> {
  const region = (await loadHolidayRegions())(v.postcode)
  await tx.query(sql`
    UPDATE venues SET name = ${v.name}, line1 = ${v.line1}, line2 = ${v.line2}, town = ${v.town}, postcode = ${v.postcode}, holiday_region = ${region},
      location = ${lonLatGeography(v.lon, v.lat)},
      accessibility = ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(v.accessibility)}::jsonb))::text[],
      version = version + 1, updated_at = now()
    WHERE id = ${id}`)
}

export interface StoredScheme { id: string; organisation_id: string; deleted: boolean }

export async function findScheme(tx: Db, organisationId: string, by: { id?: string; ref?: string }): Promise<StoredScheme | undefined> {
  const where = by.id ? sql`s.id = ${by.id}` : sql`s.organisation_id = ${organisationId} AND s.source_id = ${by.ref!}`
  const [row] = await tx.query(sql`SELECT s.id, s.organisation_id, s.deleted_at IS NOT NULL AS deleted FROM schemes s WHERE ${where}`)
  return row as StoredScheme | undefined
}

/** Records where a new scheme came from, so that the next import finds it. */
export async function setSchemeSource(tx: Db, id: string, ref: string): Promise<void> {
  await tx.query(sql`UPDATE schemes SET source_id = ${ref} WHERE id = ${id}`)
}

// ---- batch statements: the import's fast path for a batch of already-validated records ----


/** Schemes of the batch already in Signpost: by Signpost id, or by (organisation, source id). */
export async function findSchemes(tx: Db,
  keys: Array<{ i: number; id?: string; organisation_id?: string; ref?: string }>): Promise<Map<number, StoredScheme & { doc: Doc }>> {
  if (keys.length === 0) return new Map()
  const rows = await tx.query(sql`
    SELECT k.i, s.id, s.organisation_id, s.deleted_at IS NOT NULL AS deleted, ${schemeDocumentJson('s', 'o')} AS doc
    FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(i int, id uuid, organisation_id uuid, ref text)
    JOIN schemes s ON (k.id IS NOT NULL AND s.id = k.id) OR (k.id IS NULL AND s.organisation_id = k.organisation_id AND s.source_id = k.ref)
    JOIN organisations o ON o.id = s.organisation_id`)
  return new Map(rows.map((r: any) => [r.i, r]))
}

/** Venues of the batch already in Signpost, by the same two keys. */
export async function findVenues(tx: Db, keys: Array<{ k: string; id?: string; organisation_id: string; ref?: string }>): Promise<Map<string, StoredVenue>> {
  if (keys.length === 0) return new Map()
  const rows = await tx.query(sql`
    SELECT k.k, v.id, v.organisation_id, v.deleted_at IS NOT NULL AS deleted, ${venueJson('v')} AS doc
    FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(k text, id uuid, organisation_id uuid, ref text)
    JOIN venues v ON (k.id IS NOT NULL AND v.id = k.id) OR (k.id IS NULL AND v.organisation_id = k.organisation_id AND v.source_id = k.ref)`)
  return new Map(rows.map((r: any) => [r.k, r]))
}

/**
 * New venues in one statement: PostGIS sets up the BNG transform of the generated geom column
 * once per statement, which is most of the cost of inserting a venue.
 */
export async function insertVenues(tx: Db, venues: Array<PlacedVenue & { organisation_id: string; ref?: string }>): Promise<string[]> {
  if (venues.length === 0) return []
  const regionOf = await loadHolidayRegions()
  const rows = await tx.query(sql`
    INSERT INTO venues (organisation_id, name, line1, line2, town, postcode, holiday_region, location, accessibility, source_id)
    SELECT (e.v ->> 'organisation_id')::uuid, e.v ->> 'name', e.v ->> 'line1', e.v ->> 'line2', e.v ->> 'town', e.v ->> 'postcode', e.v ->> 'region',
      ${lonLatGeography(sql`(e.v ->> 'lon')::float8`, sql`(e.v ->> 'lat')::float8`)},
      ARRAY(SELECT jsonb_array_elements_text(e.v -> 'accessibility'))::text[], e.v ->> 'ref'
    FROM jsonb_array_elements(${JSON.stringify(venues.map((v) => ({ ...v, region: regionOf(v.postcode) })))}::jsonb) WITH ORDINALITY AS e(v, ord)
    ORDER BY e.ord
    RETURNING id`)
  return rows.map((r: any) => r.id)
}

/** Whether each GeoJSON polygon is valid to PostGIS (the rule POST /v1/schemes applies). */
export async function polygonsValid(tx: Db, geometries: unknown[]): Promise<boolean[]> {
  if (geometries.length === 0) return []
  const rows = await tx.query(sql`
    SELECT ST_IsValid(ST_GeomFromGeoJSON(e.g::text)) AS valid FROM jsonb_array_elements(${JSON.stringify(geometries)}::jsonb) WITH ORDINALITY AS e(g,
      ord) ORDER BY e.ord`)
  return rows.map((r: any) => r.valid)
}

/**
 * New schemes in three statements (schemes, their sessions, their first history rows), each
 * document already checked by the API's rules, written through the same columns as
 * POST /v1/schemes (src/db/columns.ts).
 */
export async function insertSchemes(tx: Db, items: Array<{ organisation_id: string; ref?: string; doc: Doc }>): Promise<string[]> {
  if (items.length === 0) return []
  const cols = schemeColumns(sql`e.d`)
  const rows = await tx.query(sql`
    INSERT INTO schemes (organisation_id, source_id, ${names(cols)}, last_verified_at)
    SELECT (e.x ->> 'organisation_id')::uuid, e.x ->> 'ref', ${values(cols)}, now()
    FROM (SELECT x, x -> 'doc' AS d, ord FROM jsonb_array_elements(${JSON.stringify(items)}::jsonb) WITH ORDINALITY AS a(x, ord)) e
    ORDER BY e.ord
    RETURNING id`)
  const ids: string[] = rows.map((r: any) => r.id)
  const sessions = items.map((it, i) => ({ scheme_id: ids[i], sessions: it.doc.sessions ?? [] }))
  await tx.query(insertSessions(sql`FROM jsonb_array_elements(${JSON.stringify(sessions)}::jsonb) AS x(v),
      jsonb_array_elements(x.v -> 'sessions') WITH ORDINALITY AS e(s, ord)`, sql`(x.v ->> 'scheme_id')::uuid`))
  await tx.query(sql`
    INSERT INTO scheme_history (scheme_id, version, action, changed_at, actor_key_id, actor_role, document)
    SELECT s.id, s.version, 'create', now(), NULL, NULL, ${schemeDocumentJson('s', 'o')}
    FROM schemes s JOIN organisations o ON o.id = s.organisation_id
    WHERE s.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`)
  return ids
}
