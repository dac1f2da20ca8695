import { sql } from 'drizzle-orm'
import type { Db } from '../../src/db/client.ts'
import { organisationJson, schemeDocumentJson, venueJson } from '../../src/db/documents.ts'
import { shapeProblems, organisationRuleProblems, schemeRuleProblems, venueRuleProblems } from '../../src/domain/scheme-rules.ts'
import { VOCABULARIES } from '../../src/domain/vocabularies.ts'

/** SPEC §2's rules and the schema's intent, each as a query listing the rows that break it. */
export const CONSISTENCY: Record<string, string> = {
  'a venue session needs in_person': `SELECT ss.scheme_id FROM sessions ss JOIN schemes s ON s.id = ss.scheme_id WHERE ss.venue_id IS NOT NULL AND NOT ('in_person' = ANY(s.delivery))`,
  "a session's venue belongs to the scheme's organisation and is not deleted": `SELECT ss.scheme_id FROM sessions ss JOIN schemes s ON s.id = ss.scheme_id JOIN venues v ON v.id = ss.venue_id WHERE v.organisation_id <> s.organisation_id OR v.deleted_at IS NOT NULL`,
  'a remote session needs a remote mode': `SELECT ss.scheme_id FROM sessions ss JOIN schemes s ON s.id = ss.scheme_id WHERE ss.venue_id IS NULL AND NOT (s.delivery && '{online,telephone,home_visit}')`,
  'remote modes need a service area': `SELECT id FROM schemes WHERE delivery && '{online,telephone,home_visit}' AND (area_type IS NULL OR area_doc IS NULL)`,
  'no service area without a remote mode': `SELECT id FROM schemes WHERE NOT (delivery && '{online,telephone,home_visit,text_chat}') AND area_type IS NOT NULL`,
  'the service area columns agree': `SELECT id FROM schemes WHERE area_type IS NOT NULL AND (area_doc->>'type' <> area_type
    OR (area_type = 'radius') <> (area_center IS NOT NULL AND area_radius_m > 0) OR (area_type = 'polygon') <> (area_shape IS NOT NULL AND ST_IsValid(area_shape::geometry)))`,
  'delivery is not empty and known': `SELECT id FROM schemes WHERE cardinality(delivery) = 0 OR NOT delivery <@ '{in_person,online,telephone,home_visit,text_chat}'`,
  'always open and by arrangement only with a remote mode': `SELECT id FROM schemes WHERE (always_open OR by_arrangement) AND NOT (delivery && '{online,telephone,home_visit,text_chat}')`,
  'an in-person-only scheme has a venue session': `SELECT s.id FROM schemes s WHERE s.delivery = '{in_person}' AND NOT EXISTS (SELECT 1 FROM sessions ss WHERE ss.scheme_id = s.id AND ss.venue_id IS NOT NULL)`,
  'once: a date and no days': `SELECT scheme_id FROM sessions WHERE frequency = 'once' AND (date IS NULL OR cardinality(days) > 0 OR week_of_month IS NOT NULL)`,
  'not once: days and no date': `SELECT scheme_id FROM sessions WHERE frequency <> 'once' AND (date IS NOT NULL OR cardinality(days) = 0 OR NOT days <@ '{mon,tue,wed,thu,fri,sat,sun}')`,
  'monthly exactly when week_of_month': `SELECT scheme_id FROM sessions WHERE (frequency = 'monthly') <> (week_of_month IS NOT NULL) OR week_of_month NOT IN (1, 2, 3, 4, 5, -1)`,
  'fortnightly needs valid_from': `SELECT scheme_id FROM sessions WHERE frequency = 'fortnightly' AND valid_from IS NULL`,
  'ends after starts (or by 06:00 the next morning), valid_from before valid_to':
    `SELECT scheme_id FROM sessions WHERE ends = starts OR (ends < starts AND ends > '06:00') OR valid_from > valid_to`,
  'positions run 0..n-1': `SELECT scheme_id FROM sessions GROUP BY scheme_id HAVING max(position) <> count(*) - 1 OR min(position) <> 0`,
  'free has no price; paid has amount and per': `SELECT id FROM schemes WHERE (cost_free AND (cost_amount_pence IS NOT NULL OR cost_per IS NOT NULL)) OR (NOT cost_free AND (cost_amount_pence IS NULL OR cost_per IS NULL))`,
  'ages in order and plausible': `SELECT id FROM schemes WHERE min_age > max_age OR min_age < 0 OR max_age > 120`,
  'languages are ISO 639-1 or bsl': `SELECT id FROM schemes WHERE cardinality(languages) = 0 OR EXISTS (SELECT 1 FROM unnest(languages) l WHERE l !~ '^[a-z]{2}$' AND l <> 'bsl')`,
  'string limits (name 200, descriptions 5000)': `SELECT id FROM schemes WHERE length(name) > 200 OR length(description) > 5000 OR length(coalesce(cost_concessions, '')) > 500
    UNION ALL SELECT id FROM organisations WHERE length(name) > 200 OR length(coalesce(description, '')) > 5000
    UNION ALL SELECT id FROM venues WHERE length(name) > 200 OR length(line1) > 500 OR length(coalesce(line2, '')) > 500 OR length(town) > 500`,
  'venues are in the UK': `SELECT id FROM venues WHERE ST_Y(location::geometry) NOT BETWEEN 49.8 AND 60.9 OR ST_X(location::geometry) NOT BETWEEN -8.7 AND 1.8`,
  'version 1 and timestamps in order': `SELECT id FROM schemes WHERE version <> 1 OR updated_at < created_at OR last_verified_at > now()`,
}

/** Asserts every rule on the whole database (each assertion lists the offending rows). */
export async function checkConsistency(t: { same: (...args: any[]) => unknown }, db: Db, today: string): Promise<void> {
  for (const [rule, query] of Object.entries(CONSISTENCY)) t.same(await db.query(query), [], rule)
  t.same(await db.query(`SELECT s.id FROM schemes s WHERE s.status = 'ended' AND EXISTS (SELECT 1 FROM sessions ss WHERE ss.scheme_id = s.id
    AND CASE WHEN ss.frequency = 'once' THEN ss.date >= $1::date ELSE ss.valid_to IS NULL OR ss.valid_to >= $1::date END)`, [today]), [], 'an ended scheme has no current session')
  const vocab = async (expr: string, table: string, allowed: string[], label: string) => {
    const rows = await db.query<{ v: string }>(`SELECT DISTINCT ${expr} AS v FROM ${table}`)
    t.same(rows.map((r) => r.v).filter((v) => v !== null && !allowed.includes(v)), [], `${label} codes come from the vocabularies`)
  }
  const codes = (v: keyof typeof VOCABULARIES) => Object.keys(VOCABULARIES[v])
  await vocab('unnest(categories)', 'schemes', codes('categories'), 'categories')
  await vocab('unnest(needs)', 'schemes', codes('needs'), 'needs')
  await vocab('unnest(audience)', 'schemes', codes('audience'), 'audience')
  await vocab('unnest(accessibility)', 'schemes', codes('accessibility'), 'scheme accessibility')
  await vocab('unnest(accessibility)', 'venues', codes('accessibility'), 'venue accessibility')
  await vocab('group_size', 'schemes', codes('group_size'), 'group_size')
  await vocab('cost_per', 'schemes', codes('cost_per'), 'cost per')
  await vocab('status', 'schemes', codes('status'), 'status')
}

/**
 * Every seeded row, read back as the API shows it and stripped of the fields the server
 * sets, must pass the API's own write checks (schemas and SPEC §2 rules): seeded data is
 * data a publisher could have written.
 */
export async function checkWriteRules(t: { same: (...args: any[]) => unknown }, db: Db): Promise<void> {
  const strip = (doc: Record<string, unknown>, fields: string[]) => Object.fromEntries(Object.entries(doc).filter(([k]) => !fields.includes(k)))
  const report = (kind: string, rows: Array<{ doc: Record<string, any> }>, schema: string, rules: (d: unknown) => unknown[], readOnly: string[]) => {
    const bad = rows.map(({ doc }) => {
      const write = strip(doc, readOnly)
      const problems = [...shapeProblems(schema, write), ...rules(write)]
      return problems.length ? { id: doc.id, name: doc.name, problems } : null
    }).filter(Boolean)
    t.same(bad.slice(0, 5), [], `every ${kind} passes the ${schema} checks (${rows.length} checked)`)
  }
  const common = ['id', 'version', 'created_at', 'updated_at']
  report('organisation', await db.query(sql`SELECT ${organisationJson('o')} AS doc FROM organisations o`), 'OrganisationWrite', organisationRuleProblems, common)
  report('venue', await db.query(sql`SELECT ${venueJson('v')} AS doc FROM venues v`), 'VenueWrite', venueRuleProblems, common)
  report('scheme', await db.query(sql`SELECT ${schemeDocumentJson('s', 'o')} AS doc FROM schemes s JOIN organisations o ON o.id = s.organisation_id`),
    'SchemeWrite', schemeRuleProblems, [...common, 'last_verified_at', 'stale', 'organisation', 'venues'])
}
