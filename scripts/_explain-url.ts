import { PgDialect } from 'drizzle-orm/pg-core'
import { connect } from '../src/db/client.ts'
import { finiteOnly, makeAjv } from '../src/plugins/validation.ts'
import { validationItems } from '../src/plugins/errors.ts'
import { allSchemas } from '../src/schemas/index.ts'
import { SearchQuery } from '../src/schemas/search.ts'
import { planSearch } from '../src/services/search.ts'
const validateQuery = finiteOnly(makeAjv(allSchemas, true).compile(SearchQuery as any))
const db = await connect({ url: process.env.DATABASE_URL, poolMax: 1 })
const path = process.argv[2]
const query: Record<string, unknown> = Object.fromEntries(new URL(path, 'http://x').searchParams)
const schemaErrors = validateQuery(query) ? [] : validationItems((validateQuery.errors ?? []) as any, 'querystring')
const planned: any = await planSearch(db, query, new Date(), schemaErrors)
const q = new PgDialect().sqlToQuery(planned.statement)
if (process.argv[3] === 'sql') console.log(q.sql, q.params)
for (let i = 0; i < 3; i++) await db.query(q.sql, q.params)
const t: number[] = []
for (let i = 0; i < 50; i++) { const t0 = performance.now(); await db.query(q.sql, q.params); t.push(performance.now() - t0) }
t.sort((a, b) => a - b); console.log('median', t[25].toFixed(2), 'ms')
const plan = await db.query<any>('EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ' + q.sql, q.params)
console.log(plan.map((r: any) => r['QUERY PLAN']).join('\n'))
await db.close()
