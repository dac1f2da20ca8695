import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { assignments, capacityColumns } from '../db/columns.ts'
import { schemeJson } from '../db/documents.ts'
import { PreconditionFailedError, ValidationError } from '../errors.ts'
import { capacityProblems, mergeProblems, nulProblems, shapeProblems } from '../domain/scheme-rules.ts'
import type { Actor } from '../domain/access.ts'
import type { ShapeVerdict } from '../domain/validate.ts'
import type { ExpectedVersion } from '../domain/version.ts'
import type { SchemeDocument } from '../schemas/documents.ts'
import { recordHistory } from './history.ts'
import { lockScheme } from './schemes.ts'

export type Capacity = NonNullable<SchemeDocument['capacity']>

/**
 * PUT /v1/schemes/{id}/capacity (issue 13): a scheme's capacity alone, the small write a
 * group makes whenever its places change. Like any scheme write it is one transaction that
 * checks who may (404, 410, 403, then 412 when `expected` is given), bumps the version,
 * stamps updated_at and last_verified_at, and keeps the new version in the history as an
 * update. The capacity's own updated_at is now, even when the figures are the same: saying
 * them again is news that they still hold.
 */
export async function setCapacity(db: Db, actor: Actor | null, id: string, body: unknown, expected?: ExpectedVersion,
  checked?: ShapeVerdict): Promise<{ capacity: Capacity; version: number }> {
  return db.transaction(async (tx) => {
    const row = await lockScheme(tx, actor, id, expected)
    const problems = mergeProblems(shapeProblems('CapacityWrite', body, ['updated_at'], checked), capacityProblems(body, ''), nulProblems(body))
    if (problems.length) throw new ValidationError(problems)
    const rows = await tx.query<{ capacity: Capacity; version: number }>(sql`
      UPDATE schemes s SET ${assignments(capacityColumns(sql`x.c`, sql`now()`))},
        version = s.version + 1, updated_at = now(), last_verified_at = now(), unlisted_at = NULL
      FROM (SELECT ${JSON.stringify(body)}::jsonb AS c) x
      WHERE s.id = ${id} AND s.version = ${row.version} AND s.deleted_at IS NULL
      RETURNING ${schemeJson('s')} -> 'capacity' AS capacity, s.version`)
    if (rows.length === 0) throw new PreconditionFailedError()
    await recordHistory(tx, id, 'update', actor)
    return rows[0]
  })
}
