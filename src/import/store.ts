import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { organisationJson, venueJson } from '../db/documents.ts'

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

export async function insertVenue(tx: Db, organisationId: string, ref: string | undefined, v: PlacedVenue): Promise<string> {
  const [row] = await tx.query(sql`
    INSERT INTO venues (organisation_id, name, line1, line2, town, postcode, location, accessibility, source_id)
    VALUES (${organisationId}, ${v.name}, ${v.line1}, ${v.line2}, ${v.town}, ${v.postcode},
      ST_SetSRID(ST_MakePoint(${v.lon}::float8, ${v.lat}::float8), 4326)::geography,
      ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(v.accessibility)}::jsonb))::text[], ${ref ?? null})
    RETURNING id`)
  return row.id
}

export async function updateVenue(tx: Db, id: string, v: PlacedVenue): Promise<void> {
  await tx.query(sql`
    UPDATE venues SET name = ${v.name}, line1 = ${v.line1}, line2 = ${v.line2}, town = ${v.town}, postcode = ${v.postcode},
      location = ST_SetSRID(ST_MakePoint(${v.lon}::float8, ${v.lat}::float8), 4326)::geography,
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
