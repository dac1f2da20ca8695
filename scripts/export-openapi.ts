// npm run openapi: writes openapi/openapi.json, the OpenAPI 3.1 document generated from the
// route schemas. test/openapi.test.ts fails when the committed file differs from the code.
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { connect } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'

export const OPENAPI_FILE = new URL('../openapi/openapi.json', import.meta.url)

/**
 * Object keys sorted, so the file does not depend on the order plugins register routes and
 * schemas in, except a schema's `properties` (their order is the documented field order)
 * and examples (shown as written).
 */
export function stable(value: unknown, keepOrder = false): unknown {
  if (Array.isArray(value)) return value.map((v) => stable(v))
  if (value === null || typeof value !== 'object') return value
  const keys = Object.keys(value)
  if (!keepOrder) keys.sort()
  const out: Record<string, unknown> = {}
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k]
    out[k] = k === 'example' || k === 'examples' ? v : stable(v, k === 'properties')
  }
  return out
}

const TOP = ['openapi', 'info', 'tags', 'security', 'servers', 'paths', 'components']

/** The document as the file holds it: stable key order, two-space indent, trailing newline. */
export function renderOpenApi(app: FastifyInstance): string {
  const doc = stable(app.swagger()) as Record<string, unknown>
  const rank = (k: string) => (TOP.includes(k) ? TOP.indexOf(k) : TOP.length)
  const ordered = Object.fromEntries(Object.keys(doc).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)).map((k) => [k, doc[k]]))
  return JSON.stringify(ordered, null, 2) + '\n'
}

/** The app on a fresh in-memory database (never listening), its document, and closed again. */
export async function generateOpenApi(): Promise<string> {
  const db = await connect({})
  try {
    await migrate(db)
    const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false' }), { db })
    try {
      await app.ready()
      return renderOpenApi(app)
    } finally {
      await app.close()
    }
  } finally {
    await db.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await generateOpenApi()
  writeFileSync(OPENAPI_FILE, text)
  const doc = JSON.parse(text)
  console.log(`wrote openapi/openapi.json: ${Object.keys(doc.paths).length} paths, ${Object.keys(doc.components?.schemas ?? {}).length} schemas`)
}
