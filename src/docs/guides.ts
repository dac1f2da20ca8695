import { readFileSync } from 'node:fs'
import { marked } from 'marked'

/**
 * The guides in docs/ as HTML pages under /docs/guides/{name}: the quick start at the top of
 * /docs links to them. A fixed list (a name that is not in it is a 404: no path from a request
 * ever reaches the file system), read and rendered once at start-up.
 */
export const GUIDES = [
  ['search', 'Searching: every parameter, nights, and the order of the answers'],
  ['writing', 'Registering and keeping schemes up to date'],
  ['freshness', 'Keeping the directory true: reminders, confirmation links, reports'],
  ['import', 'Bulk import and export (CSV and Open Referral UK)'],
  ['oruk', 'The Open Referral UK 3.0 feed'],
  ['feeds', 'Keeping a copy in step: change feeds, webhooks, calendars and OpenActive'],
  ['calendars', 'Calendars: iCalendar feeds of schemes and organisations'],
  ['openactive', 'OpenActive open data: the activities as SessionSeries'],
  ['insights', 'Demand and coverage figures for commissioners'],
  ['security', 'Security: keys, limits and what is never stored'],
  ['operations', 'Running Signpost: limits, timeouts and faults'],
  ['performance', 'Performance at national scale'],
  ['architecture', 'How the code is laid out'],
  ['openapi', 'The OpenAPI document and its checks'],
] as const

export type GuideName = (typeof GUIDES)[number][0]

const DOCS = new URL('../../docs/', import.meta.url)

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A page with the guide's title, a way back, and the guide. */
function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Signpost API guides</title>
<style>
body { font-family: Arial, sans-serif; line-height: 1.5; max-width: 52rem; margin: 0 auto; padding: 1rem; color: #212b32; }
a { color: #005eb8; } a:focus { outline: 3px solid #ffeb3b; background: #ffeb3b; color: #212b32; }
pre { background: #f0f4f5; padding: 0.75rem; overflow-x: auto; } code { font-size: 0.95em; }
table { border-collapse: collapse; display: block; overflow-x: auto; } th, td { border: 1px solid #d8dde0; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
nav { margin-bottom: 1.5rem; }
</style>
</head>
<body>
<nav><a href="/docs">API documentation</a> · <a href="/docs/guides">All guides</a></nav>
<main>
${body}
</main>
</body>
</html>
`
}

let pages: Map<string, string> | undefined

/** Every guide rendered (once), by name; and the index under ''. */
export function guidePages(): Map<string, string> {
  if (pages) return pages
  pages = new Map()
  for (const [name, title] of GUIDES) {
    const markdown = readFileSync(new URL(`${name}.md`, DOCS), 'utf8')
    pages.set(name, layout(title, marked.parse(markdown, { async: false })))
  }
  const list = GUIDES.map(([name, title]) => `<li><a href="/docs/guides/${name}">${escapeHtml(title)}</a></li>`).join('\n')
  pages.set('', layout('Guides', `<h1>Signpost API guides</h1>\n<ul>\n${list}\n</ul>`))
  return pages
}
