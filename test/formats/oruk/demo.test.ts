import t from 'tap'
import { build } from '../../helper.ts'
import { walkFeed } from './walk.ts'
import { seedDemo } from '../../../src/seed/demo.ts'

// The ORUK validator's walk over the demo directory that `npm start` seeds.
t.test('the feed walk validates on the demo data', async (t) => {
  const { app, db } = await build(t)
  const seeded = await seedDemo(db)
  t.ok(seeded.schemes > 10, `${seeded.schemes} demo schemes`)
  const today = `(now() AT TIME ZONE 'Europe/London')::date`
  const [n] = await db.query(`
    SELECT (SELECT count(*) FROM schemes s WHERE s.deleted_at IS NULL AND s.status = 'active') AS services,
      (SELECT count(*) FROM (SELECT DISTINCT ss.scheme_id, ss.venue_id FROM sessions ss
         JOIN schemes s ON s.id = ss.scheme_id JOIN venues v ON v.id = ss.venue_id
         WHERE s.deleted_at IS NULL AND s.status = 'active' AND v.deleted_at IS NULL
           AND CASE WHEN ss.frequency = 'once' THEN ss.date >= ${today} ELSE ss.valid_to IS NULL OR ss.valid_to >= ${today} END) p) AS sals`)
  t.ok(n.services > 0 && n.sals > 0)
  await walkFeed(t, app, { services: n.services, sals: n.sals, perPage: 25 })
})
