import { guardCell, HEADER, joinBreaks, joinList, type Column, type CsvRecord } from './template.ts'
import type { NativeScheme, NativeSession, NativeVenue } from '../oruk/types.ts'
import { scheduleSummary, sessionSummary } from '../../domain/schedule-summary.ts'

export interface ExportItem {
  organisation: { id: string; name: string; source_id?: string | null }
  scheme: NativeScheme & { source_id?: string | null }
  sessions: Array<{ session: Omit<NativeSession, 'position'>; venue: (NativeVenue & { source_id?: string | null }) | null }>
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))
const pounds = (pence: number | undefined) => (pence === undefined ? '' : (pence / 100).toFixed(2))

/** One scheme → its template rows: one per session, or one without session columns. */
export function schemeRecords(item: ExportItem): CsvRecord[] {
  const { organisation: o, scheme: s } = item
  const area = s.service_area
  const base: CsvRecord = {
    organisation_id: o.id, organisation_ref: str(o.source_id), organisation_name: o.name,
    scheme_id: s.id, scheme_ref: str(s.source_id), scheme_name: s.name, description: s.description, status: s.status,
    categories: joinList(s.categories), needs: joinList(s.needs), audience: joinList(s.audience), delivery: joinList(s.delivery),
    accessibility: joinList(s.accessibility),
    cost_free: String(s.cost.free), cost_amount: pounds(s.cost.amount_pence), cost_per: str(s.cost.per),
    cost_concessions: str(s.cost.concessions), cost_description: str(s.cost.description),
    min_age: str(s.min_age), max_age: str(s.max_age), self_referral: String(s.self_referral), accepting_referrals: String(s.accepting_referrals),
    referral_methods: joinList(s.referral?.methods), referral_url: str(s.referral?.url), referral_email: str(s.referral?.email),
    referral_phone: str(s.referral?.phone), referral_instructions: str(s.referral?.instructions), referral_from: joinList(s.referral?.accepted_from),
    capacity_status: str(s.capacity?.status), capacity_places: str(s.capacity?.places), capacity_waiting_weeks: str(s.capacity?.waiting_weeks),
    capacity_updated_at: str(s.capacity?.updated_at),
    group_size: str(s.group_size), languages: joinList(s.languages),
    contact_phone: str(s.contact.phone), contact_email: str(s.contact.email), contact_website: str(s.contact.website), contact_text: str(s.contact.text),
    always_open: String(s.always_open), by_arrangement: String(s.by_arrangement),
    service_area: str(area?.type),
    service_area_lat: area?.type === 'radius' ? str(area.center?.lat) : '',
    service_area_lon: area?.type === 'radius' ? str(area.center?.lon) : '',
    service_area_radius_m: area?.type === 'radius' ? String(area.radius_m) : '',
    service_area_geojson: area?.type === 'polygon' ? JSON.stringify(area.geometry) : '',
    breaks: joinBreaks(s.breaks),
    schedule_summary: scheduleSummary({ sessions: item.sessions.map((x) => x.session), breaks: s.breaks, by_arrangement: s.by_arrangement,
      always_open: s.always_open }),
  }
  const rows = item.sessions.length === 0 ? [base] : item.sessions.map(({ session: ss, venue: v }) => ({
    ...base,
    venue_id: str(v?.id), venue_ref: str(v?.source_id), venue_name: str(v?.name), venue_line1: str(v?.address.line1), venue_line2: str(v?.address.line2),
    venue_town: str(v?.address.town), venue_postcode: str(v?.address.postcode), venue_lat: str(v?.location.lat), venue_lon: str(v?.location.lon),
    venue_accessibility: v ? joinList(v.accessibility) : '',
    frequency: ss.frequency, days: ss.frequency === 'once' ? '' : joinList(ss.days), week_of_month: str(ss.week_of_month), date: str(ss.date),
    starts: ss.starts, ends: ss.ends, valid_from: str(ss.valid_from), valid_to: str(ss.valid_to), except_dates: joinList(ss.except_dates),
    except_bank_holidays: ss.except_bank_holidays ? 'true' : '', notes: str(ss.notes), summary: sessionSummary(ss, s.breaks),
  }))
  return rows.map((r) => Object.fromEntries(HEADER.map((c: Column) => [c, guardCell(c, r[c] ?? '')])) as CsvRecord)
}
