import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.ts'
import { organisationJson, schemeJson, sessionJson, venueJson } from '../db/documents.ts'
import { schemeListed, schemePublished, sessionCurrent, ukToday } from '../db/rules.ts'
import { venueInBox, type BBox } from '../db/spatial.ts'
import type { ExportItem } from '../formats/csv/write.ts'

export type ExportKey = [string, string, string, string]

/**
 * One batch of undeleted schemes (every status) for the CSV export, by organisation name,
 * organisation, scheme name, scheme (keyset, after `after`), with all their sessions and
 * venues and the source ids an import matches on.
 */
export async function exportBatch(db: Db, organisationId: string | undefined, after: ExportKey | null,
  limit: number): Promise<Array<ExportItem & { key: ExportKey }>> {
  const rows = await db.reader.query(sql`
    SELECT ${organisationJson('o')} || jsonb_build_object('source_id', o.source_id) AS organisation,
      ${schemeJson('s')} || jsonb_build_object('source_id', s.source_id) AS scheme,
      coalesce((SELECT jsonb_agg(jsonb_build_object('session', ${sessionJson('ss')},
          'venue', CASE WHEN v.id IS NOT NULL THEN ${venueJson('v')} || jsonb_build_object('source_id', v.source_id) END) ORDER BY ss.position)
        FROM sessions ss LEFT JOIN venues v ON v.id = ss.venue_id WHERE ss.scheme_id = s.id), '[]'::jsonb) AS sessions,
      jsonb_build_array(lower(o.name), o.id, lower(s.name), s.id) AS key
    FROM schemes s JOIN organisations o ON o.id = s.organisation_id
    WHERE s.deleted_at IS NULL
      ${organisationId ? sql`AND s.organisation_id = ${organisationId}` : sql``}
      ${after ? sql`AND (lower(o.name) COLLATE "C", o.id, lower(s.name) COLLATE "C", s.id) > (${after[0]} COLLATE "C", ${after[1]}::uuid, ${after[2]} COLLATE "C", ${after[3]}::uuid)` : sql``}
    ORDER BY lower(o.name) COLLATE "C", o.id, lower(s.name) COLLATE "C", s.id
    LIMIT ${limit}`)
  return rows as Array<ExportItem & { key: ExportKey }>
}

/**
 * Undeleted venues as GeoJSON features, each with the published schemes that hold a session
 * there that is current on the UK date of `now`; `bbox` through the venues' lon/lat index.
 */
export async function venueFeatures(db: Db, bbox: BBox | undefined, organisationId: string | undefined, now: Date): Promise<Array<Record<string, any>>> {
  const rows = await db.reader.query(sql`
    SELECT json_build_object(
      'type', 'Feature',
      'id', v.id,
      'geometry',
        json_build_object('type', 'Point', 'coordinates',
          json_build_array(round(ST_X(v.location::geometry)::numeric, 6), round(ST_Y(v.location::geometry)::numeric, 6))),
      'properties', json_strip_nulls(json_build_object(
        'id', v.id, 'name', v.name, 'organisation_id', o.id, 'organisation_name', o.name,
        'line1', v.line1, 'line2', v.line2, 'town', v.town, 'postcode', v.postcode,
        'accessibility', array_to_string(v.accessibility, ';'),
        'scheme_count', cardinality(m.ids),
        'scheme_names', (SELECT string_agg(s.name, '; ' ORDER BY lower(s.name) COLLATE "C", s.id) FROM schemes s WHERE s.id = ANY(m.ids)),
        'categories', (SELECT string_agg(DISTINCT c, ';' ORDER BY c) FROM schemes s, unnest(s.categories) AS c WHERE s.id = ANY(m.ids)),
        'schemes', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'categories', to_json(s.categories),
            'delivery', to_json(s.delivery), 'free', s.cost_free) ORDER BY lower(s.name) COLLATE "C", s.id), '[]'::json)
          FROM schemes s WHERE s.id = ANY(m.ids))))) AS feature
    FROM venues v JOIN organisations o ON o.id = v.organisation_id
    CROSS JOIN LATERAL (
      SELECT coalesce(array_agg(s.id), '{}'::uuid[]) AS ids FROM schemes s
      WHERE ${schemePublished('s')} AND ${schemeListed('s')} AND EXISTS (
        SELECT 1 FROM sessions ss WHERE ss.scheme_id = s.id AND ss.venue_id = v.id AND ${sessionCurrent('ss', ukToday(now))})) m
    WHERE v.deleted_at IS NULL
      ${organisationId ? sql`AND v.organisation_id = ${organisationId}` : sql``}
      ${bbox ? sql`AND ${venueInBox('v', bbox)}` : sql``}
    ORDER BY lower(v.name) COLLATE "C", v.id`)
  return rows.map((r) => r.feature)
}
