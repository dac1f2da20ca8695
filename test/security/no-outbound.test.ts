import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

// OWASP API7 (server-side request forgery): Signpost never fetches a URL that a caller
// gives it, but for webhooks, whose targets are checked (below). Websites and emails in records are stored and shown, never requested; imports
// read local files. This test fails when code under src/ or scripts/ gains a way to make
// an outbound request, so that such a change is reviewed against API7 first.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// Bad inputs (what an outbound call looks like in this code base):
const OUTBOUND = [
  /\bfetch\s*\(/,
  /\b(?:http|https|http2)\.(?:request|get|connect)\s*\(/,
  // an import of a networking module, except a type-only one or of node:net's address
  // helpers (isIP…), which open nothing
  /^import (?!type\b)(?!\{\s*isIP(?:v4|v6)?(?:\s*,\s*isIP(?:v4|v6)?)*\s*\})[^\n]*from\s+['"](?:node:)?(?:http|https|http2|net|tls|dgram)['"]/m,
  /from\s+['"](?:undici|axios|got|node-fetch|superagent|request|nodemailer)['"]/,
  /\bnet\.(?:connect|createConnection)\s*\(/,
  /\bchild_process\b[^]*\b(?:curl|wget)\b/,
]
// The HTTP server itself (Fastify) and the database drivers are the only sockets; the
// benchmarks call the local servers they start, never an address from data; e-mail goes only to
// the operator's SMTP_URL (src/freshness/mail.ts), never to a server named in data. Webhooks
// are the one request to an address a caller gives: resolved, checked against private,
// loopback and link-local ranges and pinned to the checked address (src/feeds/webhooks/address.ts,
// which resolves; dispatch.ts, which sends), tested in test/routes/webhooks.test.ts.
const ALLOWED = new Set<string>(['scripts/bench.ts', 'scripts/bench-feed.ts', 'scripts/bench-oruk-stream.ts', 'src/freshness/mail.ts',
  'src/feeds/webhooks/address.ts', 'src/feeds/webhooks/dispatch.ts'])

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
  t.ok(OUTBOUND.some((re) => re.test("import { connect, isIP } from 'node:net'")), 'a client beside the address helpers')
  t.notOk(OUTBOUND.some((re) => re.test("import type { Socket } from 'node:net'\nimport { isIP } from 'node:net'")), 'types and address helpers open nothing')
})

t.test('npm run import given a URL reads no URL: it exits 2 and the address is never contacted', async (t) => {
  const { createServer } = await import('node:http')
  const { spawn } = await import('node:child_process')
  let hits = 0
  const server = createServer((_req, res) => { hits++; res.end('{"services": []}') })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  const url = `http://127.0.0.1:${(server.address() as any).port}/feed.json`
  // bad input: a feed URL where a local file is expected
  // (spawned asynchronously, so that this process's server would see a request if one came)
  const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', url], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } })
    let stderr = ''
    child.stderr.on('data', (d) => { stderr += d })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000)
    child.on('exit', (status) => { clearTimeout(timer); resolve({ status, stderr }) })
  })
  t.equal(r.status, 2, 'usage error')
  t.match(r.stderr, /cannot read/)
  t.equal(hits, 0, 'the URL was not fetched')
})
