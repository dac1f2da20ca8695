import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

// OWASP API7 (server-side request forgery): Signpost never fetches a URL that a caller
// gives it. Websites and emails in records are stored and shown, never requested; imports
// read local files. This test fails when code under src/ or scripts/ gains a way to make
// an outbound request, so that such a change is reviewed against API7 first.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// Bad inputs (what an outbound call looks like in this code base):
const OUTBOUND = [
  /\bfetch\s*\(/,
  /\b(?:http|https|http2)\.(?:request|get|connect)\s*\(/,
  /from\s+['"](?:node:)?(?:http|https|http2|net|tls|dgram)['"]/,
  /from\s+['"](?:undici|axios|got|node-fetch|superagent|request)['"]/,
  /\bnet\.(?:connect|createConnection)\s*\(/,
  /\bchild_process\b[^]*\b(?:curl|wget)\b/,
]
// The HTTP server itself (Fastify) and the database drivers are the only sockets; the
// benchmark calls the local server it starts, never an address from data.
const ALLOWED = new Set<string>(['scripts/bench.ts'])

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name === 'node_modules' || name === 'scratch') return []
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

t.test('no code under src/ or scripts/ makes an outbound network request', async (t) => {
  const scanned = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'scripts'))]
  t.ok(scanned.length > 20, `${scanned.length} files scanned`)
  const found: string[] = []
  for (const file of scanned) {
    const rel = relative(ROOT, file)
    if (ALLOWED.has(rel)) continue
    const text = readFileSync(file, 'utf8')
    for (const re of OUTBOUND) if (re.test(text)) found.push(`${rel}: ${re}`)
  }
  t.same(found, [], 'no outbound HTTP, TCP or UDP client outside the allowed list')
})

t.test('the scan would notice an outbound call', async (t) => {
  const sample = "const r = await fetch(body.website)\nimport http from 'node:http'\nhttps.get(url)"
  t.ok(OUTBOUND.some((re) => re.test(sample.split('\n')[0])))
  t.ok(OUTBOUND.some((re) => re.test(sample.split('\n')[1])))
  t.ok(OUTBOUND.some((re) => re.test(sample.split('\n')[2])))
})
