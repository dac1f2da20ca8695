import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { organisationJson } from '../db/documents.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { mergeProblems, nulProblems, organisationRuleProblems, shapeProblems } from '../domain/scheme-rules.ts'
import { READ_ONLY_FIELDS, OrganisationWriteSchema, type Organisation } from '../schemas/organisation.ts'
import { assertCanWrite, type Actor } from '../domain/access.ts'
import { patchedDocument } from '../domain/merge-patch.ts'
import type { ShapeVerdict } from '../domain/validate.ts'
import { assertVersion, type ExpectedVersion } from '../domain/version.ts'

const WRITABLE = Object.keys(OrganisationWriteSchema.properties)

function organisationProblems(doc: unknown, checked?: ShapeVerdict) {
  return mergeProblems(shapeProblems('OrganisationWrite', doc, READ_ONLY_FIELDS, checked), organisationRuleProblems(doc), nulProblems(doc))
}

/** POST /v1/organisations (the route admits admins only); `checked`: the route's verdict on the body's shape. */
export async function createOrganisation(tx: Db, body: unknown, checked?: ShapeVerdict): Promise<Organisation> {
  const problems = organisationProblems(body, checked)
  if (problems.length) throw new ValidationError(problems)
  const [row] = await tx.query<{ doc: Organisation }>(sql`
    INSERT INTO organisations AS o (name, charity_number, website, email, phone, description)
    SELECT d->>'name', d->>'charity_number', d->>'website', d->>'email', d->>'phone', d->>'description'
    FROM (SELECT ${JSON.stringify(body)}::jsonb AS d) x
    RETURNING ${organisationJson('o')} AS doc`)
  return row.doc
}

export async function getOrganisation(db: Db, id: string): Promise<Organisation | null> {
  const [row] = await db.query<{ doc: Organisation }>(sql`SELECT ${organisationJson('o')} AS doc FROM organisations o WHERE o.id = ${id}`)
  return row?.doc ?? null
}

export async function organisationExists(db: Db, id: string): Promise<boolean> {
  return (await db.query(sql`SELECT 1 FROM organisations WHERE id = ${id}`)).length > 0
}

/** By lower(name) byte-wise, then id (the order of SPEC §3), after the cursor; limit + 1 rows. */
export async function listOrganisations(db: Db, limit: number, after: [string, string] | null): Promise<Array<{ doc: Organisation; sort: string }>> {
  return db.query(sql`
    SELECT ${organisationJson('o')} AS doc, lower(o.name) AS sort FROM organisations o
    WHERE ${after ? sql`(lower(o.name) COLLATE "C", o.id) > (${after[0]} COLLATE "C", ${after[1]}::uuid)` : sql`true`}
    ORDER BY lower(o.name) COLLATE "C", o.id LIMIT ${limit + 1}`)
}

/** PATCH /v1/organisations/{id}: a merge patch, by an admin or the organisation's publisher. */
export async function patchOrganisation(db: Db, actor: Actor, id: string, patch: unknown, expected: ExpectedVersion): Promise<Organisation> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ version: number }>(sql`SELECT version FROM organisations WHERE id = ${id} FOR UPDATE`)
    if (!row) throw new NotFoundError(`No organisation ${id}.`)
    assertCanWrite(actor, id, 'organisation')
    assertVersion(expected, row.version)
    const current = await getOrganisation(tx, id)
    const { doc, problems } = patchedDocument(current, patch, WRITABLE, READ_ONLY_FIELDS)
    const all = mergeProblems(problems, organisationProblems(doc), nulProblems(patch))
    if (all.length) throw new ValidationError(all)
    const [updated] = await tx.query<{ doc: Organisation }>(sql`
      UPDATE organisations o SET name = d->>'name', charity_number = d->>'charity_number', website = d->>'website',
        email = d->>'email', phone = d->>'phone', description = d->>'description',
        version = o.version + 1, updated_at = now()
      FROM (SELECT ${JSON.stringify(doc)}::jsonb AS d) x
      WHERE o.id = ${id} AND o.version = ${row.version}
      RETURNING ${organisationJson('o')} AS doc`)
    return updated.doc
  })
}
