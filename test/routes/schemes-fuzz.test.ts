import t from 'tap'
import fc from 'fast-check'
import { build } from '../helper.ts'
import {
  call, contentTypes, createOrganisation, createScheme, createVenue, fuzzWrites, headerJunk, monthly, mutatedBody,
  once, payloadOf, schemeBody, weekly, fortnightly,
} from '../fixtures/api.ts'

// Property tests of every scheme write: whatever the body and headers, never a 5xx, and a
// refused write leaves every table as it was (checksum of all tables before and after).
// Tried: valid schemes (in person and remote, with all four frequencies) with up to three
// fields, anywhere in the document, set to odd values (empty, NUL, huge, negative, wrong
// types, bad dates and times, foreign venues, polygons that cross themselves) or removed;
// random JSON; broken JSON; odd content types; If-Match current, stale, *, missing or junk;
// Idempotency-Key junk.

const SESSION_FIELDS = ['venue_id', 'frequency', 'days', 'week_of_month', 'date', 'starts', 'ends', 'valid_from', 'valid_to', 'except_dates', 'notes']
const paths: Array<Array<string | number>> = [
  ['name'], ['description'], ['categories'], ['categories', 0], ['needs', 0], ['audience', 0], ['delivery'], ['delivery', 0], ['delivery', 1],
  ['cost'], ['cost', 'free'], ['cost', 'amount_pence'], ['cost', 'per'], ['min_age'], ['max_age'], ['self_referral'], ['group_size'],
  ['languages', 0], ['contact', 'phone'], ['contact', 'email'], ['contact', 'website'], ['accessibility', 0], ['status'],
  ['service_area'], ['service_area', 'type'], ['service_area', 'center'], ['service_area', 'radius_m'], ['service_area', 'geometry'],
  ['sessions'], ['sessions', 4], ['organisation_id'], ['id'], ['version'],
  ...[0, 1, 2, 3].flatMap((i) => SESSION_FIELDS.map((f) => ['sessions', i, f])),
]

async function setup(t: any) {
  const { app } = await build(t)
  const { key } = await createOrganisation(app)
  const other = await createOrganisation(app)
  const v = await createVenue(app, key)
  const foreign = await createVenue(app, other.key)
  const inPerson = schemeBody({ sessions: [weekly(v.id), fortnightly(v.id), monthly(v.id), once(v.id)] })
  const remote = schemeBody({ delivery: ['online', 'telephone'], service_area: { type: 'radius', center: { lat: 51.5, lon: -0.1 }, radius_m: 10000 }, sessions: [weekly(null), once(null)] })
  const extra = [v.id, foreign.id, other.organisation.id, 'fortnightly', 'monthly', 'once', ['mon', 'sun'], 3, -1, '2027-02-28', { type: 'national' }]
  const bodies = fc.oneof(
    { weight: 4, arbitrary: mutatedBody(inPerson, paths, extra) },
    { weight: 3, arbitrary: mutatedBody(remote, paths, extra) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  )
  return { app, key, v, bodies }
}

const ifMatchArb = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('current', 'current', 'stale', 'none', '*') }, { weight: 1, arbitrary: headerJunk })

async function etagFor(app: any, url: string, which: string): Promise<string> {
  const version = (await call(app, 'GET', url)).json().version
  return which === 'current' ? `"${version}"` : which === 'stale' ? `"${version - 1}"` : which
}

t.test('fuzz POST /v1/schemes', async (t) => {
  const { app, key, bodies } = await setup(t)
  const seen = await fuzzWrites(app, fc.record({ payload: payloadOf(bodies), type: contentTypes, idem: fc.option(headerJunk, { nil: undefined }) }), async (x) => ({
    method: 'POST', url: '/v1/schemes', payload: x.payload,
    headers: { authorization: `Bearer ${key}`, ...(x.type ? { 'content-type': x.type } : {}), ...(x.idem !== undefined ? { 'idempotency-key': x.idem } : {}) },
  }), 200)
  t.ok(seen[201] > 0 && seen[400] > 0, `accepted and refused bodies both tried: ${JSON.stringify(seen)}`)
})

t.test('fuzz PUT and PATCH /v1/schemes/{id}', async (t) => {
  const { app, key, v, bodies } = await setup(t)
  const s = await createScheme(app, key, { sessions: [weekly(v.id)] })
  const url = `/v1/schemes/${s.id}`
  for (const method of ['PUT', 'PATCH'] as const) {
    const seen = await fuzzWrites(app, fc.record({ payload: payloadOf(bodies), type: contentTypes, ifMatch: ifMatchArb }), async (x) => {
      const m = await etagFor(app, url, x.ifMatch)
      return { method, url, payload: x.payload, headers: { authorization: `Bearer ${key}`, ...(x.type ? { 'content-type': x.type } : {}), ...(m !== 'none' ? { 'if-match': m } : {}) } }
    }, 150)
    t.ok(seen[200] > 0 && seen[400] > 0 && seen[412] > 0 && seen[428] > 0, `${method}: ${JSON.stringify(seen)}`)
  }
  // every page of the history (at most 10 versions a page)
  const history: any[] = []
  for (let cursor: string | null = ''; cursor !== null;) {
    const page: any = (await call(app, 'GET', `${url}/history${cursor ? `?cursor=${cursor}` : ''}`)).json()
    history.push(...page.items)
    cursor = page.next_cursor
  }
  const version = (await call(app, 'GET', url)).json().version
  t.same(history.map((h: any) => h.version), Array.from({ length: version }, (_, i) => version - i), 'one history entry for every accepted change')
})

t.test('fuzz verify and DELETE /v1/schemes/{id}', async (t) => {
  const { app, key, v } = await setup(t)
  const schemes = [await createScheme(app, key, { sessions: [weekly(v.id)] }), await createScheme(app, key, { sessions: [] })]
  const ids = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schemes.map((s) => s.id)) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: headerJunk.filter((s) => !/[/?#%]/.test(s)) })
  const verified = await fuzzWrites(app, fc.record({ id: ids, ifMatch: fc.oneof(fc.constant('none'), ifMatchArb), idem: fc.option(headerJunk, { nil: undefined }), payload: fc.option(payloadOf(fc.jsonValue({ maxDepth: 1 })), { nil: undefined }) }), async (x) => {
    const url = `/v1/schemes/${encodeURIComponent(x.id)}`
    const m = schemes.some((s) => s.id === x.id) ? await etagFor(app, url, x.ifMatch) : x.ifMatch
    return {
      method: 'POST', url: `${url}/verify`, payload: x.payload ?? undefined,
      headers: { authorization: `Bearer ${key}`, ...(x.payload ? { 'content-type': 'application/json' } : {}), ...(m !== 'none' ? { 'if-match': m } : {}), ...(x.idem !== undefined ? { 'idempotency-key': x.idem } : {}) },
    }
  }, 100)
  t.ok(verified[200] > 0 && verified[404] > 0, JSON.stringify(verified))
  const deleted = await fuzzWrites(app, fc.record({ id: ids, ifMatch: ifMatchArb }), async (x) => {
    const url = `/v1/schemes/${encodeURIComponent(x.id)}`
    const live = schemes.some((s) => s.id === x.id) && (await call(app, 'GET', url)).statusCode === 200
    const m = live ? await etagFor(app, url, x.ifMatch) : x.ifMatch === 'current' ? '"1"' : x.ifMatch
    return { method: 'DELETE', url, headers: { authorization: `Bearer ${key}`, ...(m !== 'none' ? { 'if-match': m } : {}) } }
  }, 80)
  t.ok(deleted[204] > 0 && deleted[410] > 0, JSON.stringify(deleted))
})
