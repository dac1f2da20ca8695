import t from 'tap'
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// The house layering ("data flows one way") held by a test: no import cycle in src/, the
// domain knows no HTTP, the repositories know neither HTTP nor Fastify.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

// Static imports and re-exports, type-only ones included: `import … from '…'`,
// `export … from '…'` (over several lines too) and bare `import '…'`.
const FROM = /^\s*(?:import|export)\s+(?:type\s+)?[\w\s{},*$]*?\bfrom\s*['"]([^'"]+)['"]/gm
const BARE = /^\s*import\s*['"]([^'"]+)['"]/gm

/** What a file imports: project files as paths from the root, packages by name. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specs = [...text.matchAll(FROM), ...text.matchAll(BARE)].map((m) => m[1])
  return specs.map((spec) => {
    if (!spec.startsWith('.')) return spec
    const base = resolve(dirname(file), spec)
    const found = [base, `${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile()) ?? base
    return relative(root, found).split('\\').join('/')
  })
}

const graph = new Map<string, string[]>()
for (const file of sourceFiles(join(root, 'src'))) {
  graph.set(relative(root, file).split('\\').join('/'), importsOf(file))
}

/** Strongly connected components with more than one file, or a file that imports itself (Tarjan). */
function cyclicGroups(): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const groups: string[][] = []
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++
    stack.push(v); onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)) }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const group: string[] = []
    let w: string
    do { w = stack.pop()!; onStack.delete(w); group.push(w) } while (w !== v)
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group.sort())
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v)
  return groups
}

/** One cycle through the group, to name in the failure: a → b → … → a. */
function cycleIn(group: string[]): string {
  const members = new Set(group)
  const start = group[0]
  const path = [start]
  const seen = new Set([start])
  const walk = (v: string): boolean => {
    for (const w of graph.get(v) ?? []) {
      if (w === start) { path.push(w); return true }
      if (!members.has(w) || seen.has(w)) continue
      seen.add(w); path.push(w)
      if (walk(w)) return true
      path.pop()
    }
    return false
  }
  walk(start)
  return path.join(' → ')
}

t.test('the import parser sees the project', async (t) => {
  t.ok(graph.size > 50, `${graph.size} files under src/`)
  t.ok(graph.get('src/app.ts')?.includes('src/routes/index.ts'), 'app.ts imports routes/index.ts')
  t.ok(graph.get('src/app.ts')?.includes('fastify'), 'packages are kept by name')
  t.ok(graph.get('src/repositories/keys.ts')?.includes('src/domain/access.ts'), 'a type-only import counts')
})

t.test('no import cycle in src/', async (t) => {
  const cycles = cyclicGroups().map(cycleIn)
  t.same(cycles, [], `import cycles:\n${cycles.join('\n')}`)
})

const layerRules: Array<{ layer: string; forbidden: RegExp; why: string }> = [
  { layer: 'src/domain/', forbidden: /^(src\/(plugins|routes|http)\/|fastify$|fastify-plugin$|@fastify\/)/, why: 'domain code knows no HTTP' },
  { layer: 'src/repositories/', forbidden: /^(src\/(plugins|routes|http)\/|fastify$|fastify-plugin$|@fastify\/)/, why: 'a repository knows nothing of HTTP or Fastify' },
  { layer: 'src/search/', forbidden: /^(src\/(plugins|routes|http)\/|fastify$|fastify-plugin$|@fastify\/)/, why: 'the search knows no HTTP: the route calls it' },
  { layer: 'src/db/', forbidden: /^(src\/(plugins|routes|http|repositories|search)\/|fastify$|fastify-plugin$|@fastify\/)/, why: 'the SQL pieces serve every reader and writer and know none of them' },
  { layer: 'src/pages/', forbidden: /^(src\/(plugins|routes|http)\/|src\/db\/(?!client\.ts$)|drizzle-orm$|pg$|fastify$|fastify-plugin$|@fastify\/)/,
    why: 'the pages know neither HTTP nor SQL: they read the search service and the repositories' },
  { layer: 'src/freshness/', forbidden: /^(src\/(plugins|routes|http)\/|fastify$|fastify-plugin$|@fastify\/)/, why: 'the scheduler knows no HTTP: server.ts starts it' },
  { layer: 'src/formats/', forbidden: /^(src\/(plugins|routes|http|repositories|db)\/|fastify$|fastify-plugin$|@fastify\/)/, why: 'a format maps documents, knowing neither HTTP nor SQL' },
]

for (const rule of layerRules) {
  t.test(`${rule.layer} imports: ${rule.why}`, async (t) => {
    const bad: string[] = []
    for (const [file, imports] of graph) {
      if (!file.startsWith(rule.layer)) continue
      for (const target of imports) if (rule.forbidden.test(target)) bad.push(`${file} → ${target}`)
    }
    t.same(bad, [], bad.join('\n'))
  })
}
