import t from 'tap'
import { build } from '../helper.ts'

t.test('the API root links the docs and carries the data attributions', async (t) => {
  const { app } = await build(t)
  const r = await app.inject('/')
  t.equal(r.statusCode, 200)
  const body = r.json()
  t.equal(body.name, 'Signpost')
  t.equal(body.links.docs, '/docs')
  t.ok(body.attribution.some((a: string) => a.includes('Contains OS data © Crown copyright and database right 2025.')))
  t.ok(body.attribution.some((a: string) => a.includes('Royal Mail')))
  t.ok(body.attribution.some((a: string) => a.includes('National Statistics')))
  t.ok(body.attribution.some((a: string) => a.includes('Give Food')))
  t.equal((await app.inject(body.links.openapi)).statusCode, 200)
})
