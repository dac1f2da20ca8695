/**
 * SPEC §2: what a scheme write that leaves a field out means. The columns a write stores
 * (src/db/columns.ts) and the importer's comparison of two documents (src/import/write.ts)
 * both read this table.
 */
export const SCHEME_DEFAULTS = {
  description: '', categories: [] as string[], needs: [] as string[], audience: [] as string[], delivery: ['in_person'],
  cost: { free: true }, self_referral: false, accepting_referrals: true, languages: ['en'], contact: {}, accessibility: [] as string[],
  always_open: false, by_arrangement: false, status: 'active', sessions: [] as unknown[],
}
