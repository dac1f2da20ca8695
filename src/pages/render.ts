import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'
import { ATTRIBUTION } from '../domain/about.ts'
import { clockText, costText, dateText, dayText, distanceText, label, languageText, sessionText, telHref, ukDateTimeText, webUrl } from './format.ts'

const require = createRequire(import.meta.url)

/** nhsuk-frontend's dist folder: its nunjucks macros, and the compiled CSS, JS and images served under /assets. */
export const NHSUK_DIST = join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist')
export const NHSUK_VERSION: string = require('nhsuk-frontend/package.json').version

/**
 * nhsuk-frontend's compiled CSS without its @font-face rules: they load the NHS's Frutiger
 * font from assets.nhs.uk, a third party the pages do not send their visitors to (and a font
 * licensed for NHS services). Text falls back to Arial, the frontend's own fallback. The
 * source-map comment goes too, since the map is not served.
 */
export function frontendCss(): string {
  const css = readFileSync(join(NHSUK_DIST, 'nhsuk', `nhsuk-frontend-${NHSUK_VERSION}.min.css`), 'utf8')
  return css.replace(/@font-face\s*\{[^}]*\}/g, '').replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '')
}

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), 'templates')

// autoescape: every value a template prints is HTML-escaped unless it is marked safe, and
// only the nhsuk-frontend macros mark anything safe (the `html` of a component, which the
// templates build from escaped values).
const env = new nunjucks.Environment(
  new nunjucks.FileSystemLoader([TEMPLATES, NHSUK_DIST, join(NHSUK_DIST, 'nhsuk')], { noCache: false }),
  { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
)
env.addFilter('label', (code: string, vocabulary: string) => label(vocabulary, code))
env.addFilter('distance', (m: number) => distanceText(m))
env.addFilter('clock', clockText)
env.addFilter('ukDateTime', (instant: string) => ukDateTimeText(instant))
env.addFilter('date', dateText)
env.addFilter('day', dayText)
env.addFilter('session', sessionText)
env.addFilter('cost', costText)
env.addFilter('webUrl', webUrl)
env.addFilter('tel', telHref)
env.addFilter('language', languageText)
env.addGlobal('attribution', ATTRIBUTION)
env.addGlobal('nhsukVersion', NHSUK_VERSION)

/** A page: the template's name under src/pages/templates and its values; `cspNonce` is the response's script nonce. */
export function render(template: string, values: Record<string, unknown>): string {
  return env.render(template, values)
}
