/**
 * A place search reaches venues through the GiST index on venues.pt (the BNG point, with the
 * search bits beside it: migrations/0008), nearest first, for each shape with a place (docs/search-plans.md shows the plans on a larger directory).
 * On a few hundred rows the planner may rightly prefer a sequential scan, so the check runs
 * with enable_seqscan off: that only makes the choice deterministic; it would not make the
 * planner use an index that the statement's predicate cannot use (a function wrapped around
 * the column, a cast, a geography test alone).
 */
import t from 'tap'
import { sql } from 'drizzle-orm'
import { freshDb } from '../helper.ts'
import { explain, seedSynthetic, shapeRequest, SHAPES } from '../../scripts/explain-search.ts'

function indexesUsed(node: any, out: Array<{ index: string; cond: string }> = []) {
  if (node['Index Name']) out.push({ index: node['Index Name'], cond: node['Index Cond'] ?? '' })
  for (const child of node.Plans ?? []) indexesUsed(child, out)
  return out
}

t.test('place searches use the spatial index; the name order uses its index', async (t) => {
  const db = await freshDb(t)
  await seedSynthetic(db, 300)
  for (const shape of SHAPES) {
    const plan = await db.transaction(async (tx) => {
      await tx.query(sql`SET LOCAL enable_seqscan = off`)
      const rows: any[] = await explain(tx, shapeRequest(shape.query), '(FORMAT JSON)')
      const json = rows[0]['QUERY PLAN']
      return (typeof json === 'string' ? JSON.parse(json) : json)[0].Plan
    })
    const used = indexesUsed(plan)
    if ('lat' in shape.query && !String(shape.query.delivery ?? '').startsWith('online')) {
      const gist = used.find((u) => u.index === 'venues_search_points')
      t.ok(gist, `${shape.name}: venues_search_points is used`)
      t.match(gist?.cond, /^\(pt <@ /, 'for the radius test on the bare column (the box of the circle)')
    }
    if (!('lat' in shape.query)) t.ok(used.some((u) => u.index === 'schemes_name_order'), `${shape.name}: schemes_name_order walks the name order`)
  }
})
