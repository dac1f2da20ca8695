import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

/**
 * @openactive/data-model-validator, offline. Its one remote document for our data is the
 * activity list (the `@context` https://openactive.io/ is built in): it reads remote JSON
 * through a file cache keyed by the SHA-256 of the URL, so the cache is filled once from
 * test/fixtures/openactive/activity-list.jsonld (the OpenActive activity list, CC BY 4.0,
 * ids and prefLabels only) and the validator never needs the network.
 */

// CommonJS, with no named exports that ESM can see
const { validate } = createRequire(import.meta.url)('@openactive/data-model-validator') as {
  validate(doc: unknown, options: Record<string, unknown>): Promise<unknown[]>
}

export interface Finding { severity: string; type: string; message: string; path: string }

const ACTIVITY_LIST_URL = 'https://openactive.io/activity-list'
let cacheDir: string | undefined

function cache(): string {
  if (cacheDir) return cacheDir
  cacheDir = mkdtempSync(join(tmpdir(), 'signpost-oa-'))
  const data = JSON.parse(readFileSync(new URL('../../fixtures/openactive/activity-list.jsonld', import.meta.url), 'utf8'))
  const key = createHash('sha256').update(ACTIVITY_LIST_URL).digest('hex')
  writeFileSync(join(cacheDir, `${key}.json`), JSON.stringify({
    errorCode: 'error_none', data, statusCode: 200, url: ACTIVITY_LIST_URL, exception: null, contentType: 'application/ld+json', fetchTime: Date.now(),
  }))
  return cacheDir
}

/** Every finding of the validator on a document (a model or an RPDE page). */
export async function oaValidate(doc: unknown, options: Record<string, unknown> = {}): Promise<Finding[]> {
  const result = await validate(doc, {
    loadRemoteJson: true, remoteJsonCachePath: cache(), remoteJsonCacheTimeToLive: 7 * 24 * 3600, ...options,
  })
  return (result as Array<Record<string, any>>).map((r) => ({ severity: r.severity, type: r.type, message: String(r.message).split('\n')[0], path: r.path }))
}

export const failures = (fs: Finding[]) => fs.filter((f) => f.severity === 'failure')
export const warnings = (fs: Finding[]) => fs.filter((f) => f.severity === 'warning')

const DOCS = readFileSync(new URL('../../../docs/openactive.md', import.meta.url), 'utf8')

/** What docs/openactive.md names a warning by: `Model.property` for a missing recommended property, else its type. */
export function warningKey(f: Finding): string {
  const m = /^Recommended property `([^`]+)` is missing from `([^`]+)`/.exec(f.message)
  return m ? `${m[2]}.${m[1]}` : f.type
}

/** The warnings whose key docs/openactive.md does not list (with its reason). */
export const undocumentedWarnings = (fs: Finding[]) =>
  [...new Set(warnings(fs).map(warningKey))].filter((k) => !DOCS.includes(`\`${k}\``))
