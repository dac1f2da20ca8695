/**
 * The committed openapi/openapi.json passes Spectral (spectral:oas, .spectral.yaml) and
 * Redocly (recommended, redocly.yaml) with no errors; each warning they give is one that
 * docs/openapi.md lists with its reason. Both run offline from node_modules.
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const documented = readFileSync(new URL('../docs/openapi.md', import.meta.url), 'utf8')

function run(bin: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(`${root}node_modules/.bin/${bin}`, args, {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.stderr.on('data', () => {})
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out }))
  })
}

t.test('Spectral (spectral:oas): no errors, every warning documented', async (t) => {
  const { out } = await run('spectral', ['lint', 'openapi/openapi.json', '--ruleset', '.spectral.yaml', '--format', 'json', '--quiet'])
  const results: Array<{ code: string; severity: number; message: string; path: string[] }> = JSON.parse(out.slice(out.indexOf('[')))
  // severity 0 is an error, 1 a warning
  t.same(results.filter((r) => r.severity === 0).map((r) => `${r.code} ${r.path.join('.')}: ${r.message}`), [], 'no errors')
  for (const rule of new Set(results.filter((r) => r.severity === 1).map((r) => r.code))) t.ok(documented.includes(`\`${rule}\``), `warning ${rule} is listed in docs/openapi.md`)
})

t.test('Redocly (recommended): no errors, every warning documented', async (t) => {
  const { code, out } = await run('redocly', ['lint', 'openapi/openapi.json', '--config', 'redocly.yaml', '--format', 'json'])
  const report: { totals: { errors: number; warnings: number }; problems: Array<{ ruleId: string; severity: string; message: string }> } = JSON.parse(out.slice(out.indexOf('{')))
  t.same(report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`), [], 'no errors')
  t.equal(report.totals.errors, 0)
  t.equal(code, 0, 'redocly exits 0')
  for (const rule of new Set(report.problems.filter((p) => p.severity === 'warn').map((p) => p.ruleId))) t.ok(documented.includes(`\`${rule}\``), `warning ${rule} is listed in docs/openapi.md`)
})
