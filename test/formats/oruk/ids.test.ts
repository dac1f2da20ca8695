import t from 'tap'
import { sql } from 'drizzle-orm'
import { freshDb } from '../../helper.ts'
import { orukId, salId } from '../../../src/formats/oruk/ids.ts'

t.test('orukId is an RFC 4122 version 3 UUID and the database computes the same', async (t) => {
  const db = await freshDb(t)
  const names = ['sal:6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f:0b5e3f1c-2d4a-4b6c-8d7e-9f0a1b2c3d4e', 'term:categories:walking', 'café ☕', '']
  for (const name of names) {
    const [row] = await db.query(sql`SELECT oruk_uuid(${name})::text AS id`)
    t.equal(orukId(name), row.id, JSON.stringify(name))
    t.match(orukId(name), /^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  }
  t.equal(salId('a', 'b'), orukId('sal:a:b'), 'parts are joined with colons')
  t.not(orukId('a'), orukId('b'))
})
