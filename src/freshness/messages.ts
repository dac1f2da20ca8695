import type { DigestReport, ReminderScheme } from '../repositories/mail-jobs.ts'
import { REPORT_KINDS } from './reports.ts'

/** The words of the e-mails: plain text, one link per scheme. */

export interface ReminderLine { scheme: ReminderScheme; link: string }

function thresholdText(threshold: number, last: number): string {
  if (threshold === 0) return 'Members of the public have told us it may have ended.'
  const prefix = threshold >= last ? 'LAST NOTICE: ' : ''
  return `${prefix}not confirmed for ${threshold} days.`
}

export function reminderMessage(organisation: string, lines: ReminderLine[], thresholds: number[], unconfirmedDays: number, tokenDays: number) {
  const last = thresholds[thresholds.length - 1]
  const lastNotice = lines.some((l) => l.scheme.threshold >= last)
  const request = lines.every((l) => l.scheme.threshold === 0)
  const n = lines.length
  const what = n === 1 ? `"${lines[0].scheme.name}"` : `${n} of your listings`
  const subject = request ? `Has ${what} ended? Please confirm on Signpost`
    : `${lastNotice ? 'Last notice: please' : 'Please'} confirm ${what} on Signpost`
  const text = [
    `Hello ${organisation},`,
    '',
    request ? 'Please tell us whether this listing is still running as described:'
      : `Please check that ${n === 1 ? 'this listing is' : 'these listings are'} still running as described:`,
    '',
    ...lines.flatMap((l) => [`* ${l.scheme.name}: ${thresholdText(l.scheme.threshold, last)}`, `  Confirm or tell us it has ended: ${l.link}`, '']),
    `Each link works once, for ${tokenDays} days, and needs no sign-in.`,
    `A listing not confirmed for ${unconfirmedDays} days is taken out of search until it is confirmed again.`,
    'Changing a listing through the API also confirms it.',
  ].join('\n')
  return { subject, text }
}

export function digestMessage(organisation: string, reports: DigestReport[]) {
  const n = reports.length
  const subject = `${n} new ${n === 1 ? 'report' : 'reports'} about your listings on Signpost`
  const text = [
    `Hello ${organisation},`,
    '',
    'Members of the public have sent these reports about your listings (they are not shown publicly):',
    '',
    ...reports.flatMap((r) => [`* ${r.scheme_name}: ${REPORT_KINDS[r.kind as keyof typeof REPORT_KINDS] ?? r.kind}`,
      ...(r.message ? [`  "${r.message}"`] : []), '']),
    'See and close them at GET /v1/organisations/{id}/reports with your publisher key.',
  ].join('\n')
  return { subject, text }
}
