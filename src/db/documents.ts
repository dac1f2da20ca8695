import { sql, type SQL } from 'drizzle-orm'

/**
 * The API's JSON documents, built in SQL so that every reader (GET, search, history,
 * exports) shows a resource the same way. Optional fields that are empty are omitted.
 * Takes the table alias used in the surrounding query.
 */
/** A timestamptz as the API writes it: RFC 3339 UTC with milliseconds. */
export const ts = (col: SQL) => sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** organisations row `o` → organisation document. */
export function organisationJson(o = 'o'): SQL {
  const c = (name: string) => sql.raw(`${o}.${name}`)
  return sql`jsonb_strip_nulls(jsonb_build_object(
    'id', ${c('id')}, 'name', ${c('name')}, 'charity_number', ${c('charity_number')}, 'website', ${c('website')},
    'email', ${c('email')}, 'phone', ${c('phone')}, 'description', ${c('description')},
    'version', ${c('version')}, 'created_at', ${ts(c('created_at'))}, 'updated_at', ${ts(c('updated_at'))}))`
}

/** venues row `v` → venue document. */
export function venueJson(v = 'v'): SQL {
  const c = (name: string) => sql.raw(`${v}.${name}`)
  return sql`jsonb_build_object(
    'id', ${c('id')}, 'organisation_id', ${c('organisation_id')}, 'name', ${c('name')},
    'address', jsonb_strip_nulls(jsonb_build_object('line1', ${c('line1')}, 'line2', ${c('line2')}, 'town', ${c('town')}, 'postcode', ${c('postcode')})),
    'location', jsonb_build_object('lat', round(ST_Y(${c('location')}::geometry)::numeric, 6), 'lon', round(ST_X(${c('location')}::geometry)::numeric, 6)),
    'accessibility', to_jsonb(${c('accessibility')}),
    'version', ${c('version')}, 'created_at', ${ts(c('created_at'))}, 'updated_at', ${ts(c('updated_at'))})`
}

/**
 * sessions row `ss` → session document (times as HH:MM, dates as YYYY-MM-DD). Its `summary`
 * is not SQL's: readers add it in TypeScript (src/domain/schedule-summary.ts).
 */
export function sessionJson(ss = 'ss'): SQL {
  const c = (name: string) => sql.raw(`${ss}.${name}`)
  return sql`jsonb_strip_nulls(jsonb_build_object(
    'venue_id', ${c('venue_id')}, 'frequency', ${c('frequency')},
    'days', CASE WHEN ${c('frequency')} = 'once' THEN NULL ELSE to_jsonb(${c('days')}) END,
    'week_of_month', ${c('week_of_month')}, 'date', to_char(${c('date')}, 'YYYY-MM-DD'),
    'starts', to_char(${c('starts')}, 'HH24:MI'), 'ends', to_char(${c('ends')}, 'HH24:MI'),
    'valid_from', to_char(${c('valid_from')}, 'YYYY-MM-DD'), 'valid_to', to_char(${c('valid_to')}, 'YYYY-MM-DD'),
    'except_dates', CASE WHEN cardinality(${c('except_dates')}) > 0 THEN to_jsonb(${c('except_dates')}::text[]) END,
    'except_bank_holidays', CASE WHEN ${c('except_bank_holidays')} THEN true END,
    'notes', ${c('notes')}))
    || jsonb_build_object('venue_id', ${c('venue_id')})`
}

/** schemes row `s` → scheme document without its sessions (search items add their own) and without its schedule_summary (TypeScript's). */
export function schemeJson(s = 's'): SQL {
  const c = (name: string) => sql.raw(`${s}.${name}`)
  return sql`jsonb_strip_nulls(jsonb_build_object(
    'id', ${c('id')}, 'organisation_id', ${c('organisation_id')}, 'name', ${c('name')}, 'description', ${c('description')},
    'categories', to_jsonb(${c('categories')}), 'needs', to_jsonb(${c('needs')}), 'audience', to_jsonb(${c('audience')}),
    'delivery', to_jsonb(${c('delivery')}),
    'cost', jsonb_build_object('free', ${c('cost_free')}, 'amount_pence', ${c('cost_amount_pence')}, 'per', ${c('cost_per')},
      'concessions', ${c('cost_concessions')}, 'description', ${c('cost_description')}),
    'min_age', ${c('min_age')}, 'max_age', ${c('max_age')},
    'self_referral', ${c('self_referral')}, 'accepting_referrals', ${c('accepting_referrals')},
    'referral', CASE WHEN cardinality(${c('referral_methods')}) > 0 THEN jsonb_build_object('methods', to_jsonb(${c('referral_methods')}),
      'url', ${c('referral_url')}, 'email', ${c('referral_email')}, 'phone', ${c('referral_phone')}, 'instructions', ${c('referral_instructions')},
      'accepted_from', to_jsonb(${c('referral_from')})) END,
    'capacity', CASE WHEN ${c('capacity_status')} IS NOT NULL THEN jsonb_build_object('status', ${c('capacity_status')},
      'places', ${c('capacity_places')}, 'waiting_weeks', ${c('capacity_waiting_weeks')}, 'updated_at', ${ts(c('capacity_updated_at'))}) END,
    'group_size', ${c('group_size')},
    'languages', to_jsonb(${c('languages')}),
    'contact', jsonb_build_object('phone', ${c('contact_phone')}, 'email', ${c('contact_email')}, 'website', ${c('contact_website')},
      'text', ${c('contact_text')}),
    'accessibility', to_jsonb(${c('accessibility')}), 'service_area', ${c('area_doc')},
    'always_open', ${c('always_open')}, 'by_arrangement', ${c('by_arrangement')}, 'status', ${c('status')}, 'breaks', ${c('breaks')},
    'last_verified_at', ${ts(c('last_verified_at'))}, 'stale', ${c('last_verified_at')} < now() - interval '180 days',
    'created_at', ${ts(c('created_at'))}, 'updated_at', ${ts(c('updated_at'))}, 'version', ${c('version')}))`
}

/** The scheme's sessions, in their written order, as a JSON array. */
export function schemeSessionsJson(s = 's'): SQL {
  return sql`coalesce((SELECT jsonb_agg(${sessionJson('ss')} ORDER BY ss.position) FROM sessions ss WHERE ss.scheme_id = ${sql.raw(s)}.id), '[]'::jsonb)`
}

/**
 * The venues that `uses` names (a query of venue_id and ord, one row per session that meets
 * at a venue), each once, in the order of its first use, as GET /v1/venues/{id} shows them.
 * A deleted venue is left out: only a session that is over may still name one, and
 * GET /v1/venues/{id} answers 410 for it.
 */
function venuesUsedJson(uses: SQL): SQL {
  return sql`coalesce((SELECT jsonb_agg(${venueJson('vu')} ORDER BY u.first)
    FROM (SELECT x.venue_id, min(x.ord) AS first FROM (${uses}) x GROUP BY x.venue_id) u
    JOIN venues vu ON vu.id = u.venue_id WHERE vu.deleted_at IS NULL), '[]'::jsonb)`
}

/** The venues of scheme `s`'s sessions (issue 13). */
export function schemeVenuesJson(s = 's'): SQL {
  return venuesUsedJson(sql`SELECT ss.venue_id, ss.position AS ord FROM sessions ss WHERE ss.scheme_id = ${sql.raw(s)}.id AND ss.venue_id IS NOT NULL`)
}

/**
 * The venues of the sessions in scheme document `doc` (jsonb): for the history kept before
 * documents carried their venues (migrations/0015), shown with the venues as they are now.
 */
export function documentVenuesJson(doc: SQL): SQL {
  return venuesUsedJson(sql`SELECT (e.s ->> 'venue_id')::uuid AS venue_id, e.ord
    FROM jsonb_array_elements(coalesce(${doc} -> 'sessions', '[]'::jsonb)) WITH ORDINALITY AS e(s, ord) WHERE e.s ->> 'venue_id' IS NOT NULL`)
}

/** schemes row `s` joined to organisations row `o` → the scheme as GET /v1/schemes/{id} and history show it. */
export function schemeDocumentJson(s = 's', o = 'o'): SQL {
  return sql`(${schemeJson(s)} || jsonb_build_object(
    'organisation', jsonb_build_object('id', ${sql.raw(`${o}.id`)}, 'name', ${sql.raw(`${o}.name`)}),
    'sessions', ${schemeSessionsJson(s)}, 'venues', ${schemeVenuesJson(s)}))`
}

/** api_keys row `k` → key document (never the secret or its hash); absent values are null. */
export function keyJson(k = 'k'): SQL {
  const c = (name: string) => sql.raw(`${k}.${name}`)
  return sql`jsonb_build_object(
    'id', ${c('id')}, 'role', ${c('role')}, 'organisation_id', ${c('organisation_id')}, 'label', ${c('label')},
    'created_at', ${ts(c('created_at'))},
    'last_used_at', ${ts(c('last_used_at'))}, 'revoked_at', ${ts(c('revoked_at'))})`
}
