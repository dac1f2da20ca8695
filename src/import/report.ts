import { stringify } from 'csv-stringify/sync'
import type { Problem } from './types.ts'
import type { RunResult } from './run.ts'

/** The validation report: one line per problem (row, field, level, message), as CSV. */
export function reportCsv(problems: Problem[]): string {
  return stringify([['row', 'field', 'level', 'message'], ...problems.map((p) => [String(p.row), p.field, p.level, p.message])])
}

export function summary(r: RunResult, seconds: number, dryRun: boolean): string {
  const c = (x: { created: number; updated: number; unchanged: number }) => `${x.created} created, ${x.updated} updated, ${x.unchanged} unchanged`
  const errors = r.problems.filter((p) => p.level === 'error').length
  return [
    `${dryRun ? 'Dry run (nothing written): ' : ''}schemes: ${c(r.schemes)}, ${r.schemes.rejected} rejected`,
    `venues: ${c(r.venues)}; organisations: ${c(r.organisations)}`,
    `${errors} errors, ${r.problems.length - errors} warnings; ${seconds.toFixed(1)} s`,
  ].join('\n')
}
