import type { Db } from '../db/client.ts'
import { loadAuthorities, sectorAuthorities } from '../geo/authorities.ts'
import { freshnessReport, type FreshnessRow } from '../repositories/freshness.ts'

export type AuthorityFreshness = FreshnessRow & { local_authority_code: string | null; local_authority_name: string }
export interface FreshnessByPlace { by_organisation: FreshnessRow[]; by_local_authority: AuthorityFreshness[] }

/** The admin's freshness report (docs/freshness.md), by organisation and by local authority, with the authorities' names. */
export async function freshnessByPlace(db: Db, now: Date): Promise<FreshnessByPlace> {
  const d = await loadAuthorities()
  const report = await freshnessReport(db, now, sectorAuthorities(d))
  return {
    by_organisation: report.by_organisation,
    by_local_authority: report.by_local_authority.map((r) => ({
      ...r, local_authority_name: r.local_authority_code === null ? 'Remote (no venue)' : d.byCode.get(r.local_authority_code)?.name ?? r.local_authority_code,
    })),
  }
}
