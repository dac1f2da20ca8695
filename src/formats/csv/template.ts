/**
 * The CSV template: one row per session, the scheme's and venue's fields repeated on each
 * of its rows (a scheme without sessions has one row with the session columns empty).
 * GET /v1/export.csv writes it and `npm run import` reads it; docs/import.md documents it
 * from COLUMNS. Lists are separated by ';'.
 */
export const COLUMNS = [
  ['organisation_id', 'Signpost id of the organisation (export; on import an existing organisation, or use --organisation)'],
  ['organisation_ref', 'Your own id for the organisation: matched on re-import; a new one is created with organisation_name'],
  ['organisation_name', 'Organisation name'],
  ['scheme_id', 'Signpost id of the scheme (export; on import, updates that scheme)'],
  ['scheme_ref', 'Your own id for the scheme: rows with the same scheme_ref are one scheme; matched on re-import'],
  ['scheme_name', 'Scheme name (required, up to 200 characters)'],
  ['description', 'What happens there (up to 5000 characters)'],
  ['status', 'active, paused or ended (default active)'],
  ['categories', 'Category codes (GET /v1/vocabularies), e.g. walking;nature_outdoors'],
  ['needs', 'Need codes, e.g. loneliness;low_mood'],
  ['audience', 'Audience codes, e.g. older_people'],
  ['delivery', 'in_person;online;telephone;home_visit;text_chat (default in_person)'],
  ['accessibility', 'Scheme-level accessibility codes, e.g. bsl;carer_free'],
  ['cost_free', 'true or false (default true)'],
  ['cost_amount', 'Price in pounds, e.g. 3.50 (when not free)'],
  ['cost_per', 'session, week, month, course or year'],
  ['cost_concessions', 'Concessions, in words'],
  ['cost_description', 'Anything else about the cost'],
  ['min_age', 'Youngest age, whole years'],
  ['max_age', 'Oldest age, whole years'],
  ['self_referral', 'true or false (default false): people can refer themselves'],
  ['accepting_referrals', 'true or false (default true)'],
  ['referral_methods', 'How to refer: form;email;phone;in_person;self. Empty, with the other referral columns: no referral'],
  ['referral_url', 'The referral form: http:// or https:// address (needed with form)'],
  ['referral_email', 'E-mail address for referrals (needed with email)'],
  ['referral_phone', 'UK phone number for referrals (needed with phone)'],
  ['referral_instructions', 'What a referrer needs to know, in words'],
  ['referral_from', 'Who may refer: gp;practice_nurse;link_worker;pharmacy;social_worker;housing_association;voluntary_sector;self (self exactly when self_referral is true)'],
  ['capacity_status', 'places_available, waiting_list or full; empty: not said'],
  ['capacity_places', 'places_available: how many places are left, at least 1'],
  ['capacity_waiting_weeks', 'waiting_list: about how many weeks a new person waits'],
  ['capacity_updated_at', 'When the capacity was last set (export only: the server sets it, and import ignores it)'],
  ['group_size', 'one_to_one, small, medium or large'],
  ['languages', 'ISO 639-1 codes and bsl, e.g. en;cy;bsl (default en)'],
  ['contact_phone', 'UK phone number'],
  ['contact_email', 'E-mail address'],
  ['contact_website', 'http:// or https:// address'],
  ['contact_text', 'UK number that takes text messages (SMS)'],
  ['always_open', 'true or false (default false): open 24 hours, every day, for its remote delivery modes'],
  ['by_arrangement', 'true or false (default false): times agreed with each person, for its remote delivery modes'],
  ['service_area', 'For online, telephone or home visit: national, radius or polygon'],
  ['service_area_lat', 'radius: latitude of the centre'],
  ['service_area_lon', 'radius: longitude of the centre'],
  ['service_area_radius_m', 'radius: metres (100 to 1000000)'],
  ['service_area_geojson', 'polygon: a GeoJSON Polygon or MultiPolygon'],
  ['breaks', 'Dates when none of its sessions run, each from/to (both included) and a reason if you like, e.g. 2026-08-01/2026-08-31 summer break;2026-12-24/2027-01-02'],
  ['schedule_summary', 'The scheme\'s times in words, e.g. Tuesdays and Thursdays, evenings (export only: made from the sessions, and import ignores it)'],
  ['venue_id', 'Signpost id of the venue (export; on import, that venue of the organisation)'],
  ['venue_ref', 'Your own id for the venue: matched on re-import. Leave the venue columns empty for a remote session'],
  ['venue_name', 'Venue name'],
  ['venue_line1', 'Address line 1'],
  ['venue_line2', 'Address line 2'],
  ['venue_town', 'Town'],
  ['venue_postcode', 'Full UK postcode'],
  ['venue_lat', 'Latitude (WGS84); empty: placed at the postcode'],
  ['venue_lon', 'Longitude (WGS84)'],
  ['venue_accessibility', 'Venue accessibility codes, e.g. step_free;hearing_loop'],
  ['frequency', 'weekly, fortnightly, monthly or once; empty for a scheme without sessions'],
  ['days', 'mon;tue;wed;thu;fri;sat;sun (not for once)'],
  ['week_of_month', 'monthly: 1 to 5, or -1 for the last'],
  ['date', 'once: YYYY-MM-DD'],
  ['starts', 'HH:MM, 24-hour, UK time'],
  ['ends', 'HH:MM, after starts; earlier than starts means the next morning, up to 06:00'],
  ['valid_from', 'YYYY-MM-DD (fortnightly: required, the first fortnight\'s week)'],
  ['valid_to', 'YYYY-MM-DD'],
  ['except_dates', 'Dates it does not run, e.g. 2026-12-25;2027-01-01'],
  ['except_bank_holidays', 'true or false (default false): it does not run on the bank holidays of the venue\'s nation'],
  ['notes', 'Notes about this session'],
  ['summary', 'The session in words, e.g. Every other Tuesday, 6pm to 8pm (export only: made from its rule, and import ignores it)'],
] as const

export type Column = (typeof COLUMNS)[number][0]
export const HEADER: Column[] = COLUMNS.map(([name]) => name)
export type CsvRecord = Partial<Record<Column, string>>

/** Free-text columns: a leading = + - @ would make a spreadsheet run a formula, so export prefixes ' and import removes it. */
export const TEXT_COLUMNS = new Set<Column>([
  'organisation_ref', 'organisation_name', 'scheme_ref', 'scheme_name', 'description', 'cost_concessions', 'cost_description',
  'contact_phone', 'contact_email', 'contact_website', 'contact_text', 'breaks', 'referral_url', 'referral_email', 'referral_phone', 'referral_instructions', 'venue_ref', 'venue_name', 'venue_line1', 'venue_line2', 'venue_town', 'venue_postcode', 'notes',
])
const FORMULA = /^[=+\-@\t\r]/

export function guardCell(column: Column, value: string): string {
  return TEXT_COLUMNS.has(column) && FORMULA.test(value) ? `'${value}` : value
}
export function unguardCell(column: Column, value: string): string {
  return TEXT_COLUMNS.has(column) && value.startsWith("'") && FORMULA.test(value.slice(1)) ? value.slice(1) : value
}

export const LIST_SEPARATOR = ';'
export const joinList = (xs: readonly string[] | undefined) => (xs ?? []).join(LIST_SEPARATOR)
/** 'a; b,c' → ['a', 'b', 'c']: ';' is the separator, a ',' in a quoted cell is read as one too. */
export const splitList = (s: string) => s.split(/[;,]/).map((x) => x.trim()).filter(Boolean)

/** Breaks as one cell: 'from/to reason' items (ISO 8601 intervals), separated by ';'. */
export const joinBreaks = (breaks: ReadonlyArray<{ from: string; to: string; reason?: string }> | undefined) =>
  (breaks ?? []).map((b) => `${b.from}/${b.to}${b.reason ? ` ${b.reason}` : ''}`).join(LIST_SEPARATOR)

/**
 * The breaks cell back: a ';' ends an item only where the next starts with a date and '/', so a
 * reason may hold a ';' of its own. An item that is not 'from/to reason' is returned as its text,
 * for the reader to report.
 */
export function splitBreaks(s: string): Array<{ from: string; to: string; reason?: string } | string> {
  return s.split(/;\s*(?=\d{4}-\d{2}-\d{2}\/)/).map((x) => x.trim()).filter(Boolean).map((item) => {
    const m = /^(\S+)\/(\S+)(?:\s+(.+))?$/.exec(item)
    return m ? { from: m[1], to: m[2], ...(m[3] ? { reason: m[3].trim() } : {}) } : item
  })
}
