import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { DEMO_EXAMPLES } from './demo-examples.ts'

/** One open report from the public about the choir: the OpenAPI's example of a report to list and close. */
export async function insertDemoReport(tx: Db): Promise<void> {
  await tx.query(sql`
    INSERT INTO scheme_reports (id, scheme_id, kind, message, created_at)
    SELECT ${DEMO_EXAMPLES.reportId}::uuid, s.id, 'wrong_time', 'The choir starts at 7.30pm now.', now()
    FROM schemes s WHERE s.id = ${DEMO_EXAMPLES.schemeId}
    ON CONFLICT DO NOTHING`)
}
