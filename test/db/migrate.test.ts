import t from 'tap'
import { freshDb } from '../helper.ts'
import { migrate } from '../../src/db/migrate.ts'

t.test('migrations are recorded, and running them again is harmless', async (t) => {
  const db = await freshDb(t)
  const before = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')
  t.ok(before.length >= 1, 'the fresh database is migrated')
  t.same(await migrate(db), [], 'a second run applies nothing')
  t.same(await migrate(db), [], 'nor a third')
  const after = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')
  t.same(after, before)
  const [{ n }] = await db.query<{ n: number }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('organisations','venues','schemes','sessions','api_keys','scheme_history','idempotency_keys')")
  t.equal(n, 7)
})

t.test('venues get a British National Grid point with a GiST index', async (t) => {
  const db = await freshDb(t)
  const [o] = await db.query<{ id: string }>("INSERT INTO organisations (name) VALUES ('Org') RETURNING id")
  const [v] = await db.query<{ e: number; n: number; x: number; y: number }>(
    "INSERT INTO venues (organisation_id, name, line1, town, postcode, location) VALUES ($1, 'Palace', 'The Mall', 'London', 'SW1A 1AA', ST_SetSRID(ST_MakePoint(-0.141588, 51.501009), 4326)::geography) RETURNING ST_X(geom) AS e, ST_Y(geom) AS n, pt[0] AS x, pt[1] AS y",
    [o.id])
  // SW1A 1AA is at E 529090 N 179645 in Code-Point Open; the transform is good to a few metres.
  t.ok(Math.abs(v.e - 529090) < 10 && Math.abs(v.n - 179645) < 10, `${v.e}, ${v.n}`)
  // the plain point that search measures on is the same point, to the last bit
  t.same([v.x, v.y], [v.e, v.n])
  const idx = await db.query<{ indexname: string; indexdef: string }>("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'venues' AND indexdef ILIKE '%gist%' ORDER BY indexname")
  t.same(idx.map((i) => i.indexname), ['venues_geom_gist', 'venues_lonlat', 'venues_search_points'])
  t.match(idx[2].indexdef, /USING gist \(pt\) INCLUDE \(search_bits, id\)/)
  // the export's bbox compares this expression (src/db/spatial.ts venueInBox)
  t.match(idx[1].indexdef, /USING gist \(\(\(location\)::geometry\)\)/)
})
