import Type, { type Static } from 'typebox'
import { REPORT_KINDS, REPORT_MESSAGE_MAX } from '../freshness/reports.ts'

/** Freshness (issue 15, docs/freshness.md): reports from the public, the due list, the admin's report. */

const Timestamp = Type.String({ format: 'date-time' })
const REPORT_EXAMPLE = { id: '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', scheme_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', scheme_name: 'Evening Walking Group',
  kind: 'wrong_time', message: 'The group now meets at 7pm, not 6pm.', created_at: '2026-12-03T10:00:00.000Z', closed_at: null }
const COUNTS_EXAMPLE = { schemes: 12, confirmed_within_90: 7, confirmed_within_180: 10, confirmed_within_365: 11, unconfirmed: 1, unlisted: 1, open_reports: 2 }
const NullableTimestamp = Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time' })
const ReportKind = Type.Unsafe<keyof typeof REPORT_KINDS>({ type: 'string', enum: Object.keys(REPORT_KINDS),
  description: Object.entries(REPORT_KINDS).map(([k, v]) => `${k}: ${v}`).join('; ') })

export const ReportWriteSchema = Type.Object({
  kind: ReportKind,
  message: Type.Optional(Type.String({ minLength: 1, maxLength: REPORT_MESSAGE_MAX,
    description: `What is wrong, at most ${REPORT_MESSAGE_MAX} characters. Seen only by the scheme's organisation and admins, never shown ` +
      'publicly. Do not include names, e-mail addresses or phone numbers.' })),
}, { $id: 'ReportWrite', additionalProperties: false, examples: [{ kind: 'wrong_time', message: 'The group now meets at 7pm, not 6pm.' }] })
export type ReportWrite = Static<typeof ReportWriteSchema>

export const ReportReceiptSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: ReportKind,
  created_at: Timestamp,
}, { $id: 'ReportReceipt', examples: [{ id: '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', kind: 'wrong_time', created_at: '2026-12-03T10:00:00.000Z' }] })

export const ReportSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  scheme_id: Type.String({ format: 'uuid' }),
  scheme_name: Type.String(),
  kind: ReportKind,
  message: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
  created_at: Timestamp,
  closed_at: NullableTimestamp,
}, { $id: 'Report', examples: [REPORT_EXAMPLE] })

export const ReportListSchema = Type.Object({
  items: Type.Array(Type.Ref('Report'), { description: 'Newest first' }),
}, { $id: 'ReportList', examples: [{ items: [REPORT_EXAMPLE] }] })

export const DueSchemeSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  status: Type.String({ description: 'active or paused' }),
  last_verified_at: Timestamp,
  days_since_confirmed: Type.Integer(),
  state: Type.Unsafe<'due' | 'overdue' | 'unconfirmed'>({ type: 'string', enum: ['due', 'overdue', 'unconfirmed'],
    description: 'due: past the first reminder; overdue: stale (over 180 days); unconfirmed: out of search and the feeds until confirmed' }),
  unlisted_at: NullableTimestamp,
  last_reminder: Type.Unsafe<{ threshold: number; sent_at: string | null } | null>({
    anyOf: [Type.Object({ threshold: Type.Integer({ description: 'days; 0 for a request after reports from the public' }), sent_at: NullableTimestamp }),
      Type.Null()], description: 'The latest reminder of this confirmation cycle; sent_at null while it waits to be sent' }),
  open_reports: Type.Integer(),
}, { $id: 'DueScheme' })

export const DueListSchema = Type.Object({ items: Type.Array(Type.Ref('DueScheme'), { description: 'Oldest confirmation first' }) }, {
  $id: 'DueList',
  examples: [{ items: [{ id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', name: 'Evening Walking Group', status: 'active', last_verified_at: '2026-06-01T10:00:00.000Z',
    days_since_confirmed: 185, state: 'overdue', unlisted_at: null, last_reminder: { threshold: 170, sent_at: '2026-11-18T10:05:00.000Z' }, open_reports: 1 }] }],
})

const counts = {
  schemes: Type.Integer({ description: 'live schemes (not deleted, not ended)' }),
  confirmed_within_90: Type.Integer(),
  confirmed_within_180: Type.Integer(),
  confirmed_within_365: Type.Integer(),
  unconfirmed: Type.Integer({ description: 'not confirmed for over 365 days' }),
  unlisted: Type.Integer({ description: 'out of search and the feeds (UNCONFIRMED_AFTER_DAYS)' }),
  open_reports: Type.Integer(),
}
export const FreshnessReportSchema = Type.Object({
  by_organisation: Type.Array(Type.Object({ organisation_id: Type.String({ format: 'uuid' }), organisation_name: Type.String(), ...counts })),
  by_local_authority: Type.Array(Type.Object({
    local_authority_code: Type.Union([Type.String(), Type.Null()], { description: 'ONS code of the local authority district of a venue (the main one of its postcode sector); null: schemes with no venue' }),
    local_authority_name: Type.String(), ...counts })),
}, {
  $id: 'FreshnessReport',
  examples: [{
    by_organisation: [{ organisation_id: '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f', organisation_name: 'Peckham Walking Friends', ...COUNTS_EXAMPLE }],
    by_local_authority: [{ local_authority_code: 'E09000028', local_authority_name: 'Southwark', ...COUNTS_EXAMPLE }],
  }],
})

export const FreshnessCsvSchema = Type.String({ $id: 'FreshnessCsv',
  description: 'CSV: grouping (organisation or local_authority), key (id, ONS code or remote), name, then the counts of FreshnessReport',
  examples: ['grouping,key,name,schemes,confirmed_within_90,confirmed_within_180,confirmed_within_365,unconfirmed,unlisted,open_reports\r\n'] })

export const freshnessSchemas = [ReportWriteSchema, ReportReceiptSchema, ReportSchema, ReportListSchema, DueSchemeSchema, DueListSchema,
  FreshnessReportSchema, FreshnessCsvSchema]
