import t from 'tap'
import fc from 'fast-check'
import { mergePatch, patchedDocument } from '../../src/domain/merge-patch.ts'
import { parseIfMatch, assertVersion } from '../../src/http/etag.ts'
import { decodeCursor, encodeCursor } from '../../src/http/cursor.ts'
import type { ValidationError } from '../../src/errors.ts'

t.test('JSON Merge Patch: the examples of RFC 7396 appendix A', async (t) => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ]
  for (const [target, patch, result] of cases) t.same(mergePatch(target, patch), result, `${JSON.stringify(target)} + ${JSON.stringify(patch)}`)
})

t.test('merge patch leaves its inputs alone and is idempotent', async () => {
  fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (target, patch) => {
    const before = JSON.stringify([target, patch])
    const once = mergePatch(target, patch)
    return JSON.stringify([target, patch]) === before && JSON.stringify(mergePatch(once, patch)) === JSON.stringify(once)
  }), { numRuns: 300 })
})

t.test('a PATCH names read-only fields and keeps only writable ones from the current document', async (t) => {
  const current = { id: 'x', version: 3, name: 'Walk', description: 'd', stale: false }
  const r = patchedDocument(current, { description: null, version: 4, id: 'y', name: 'Ramble' }, ['name', 'description'], ['id', 'version', 'stale'])
  t.same(r.doc, { name: 'Ramble' })
  t.same(r.problems.map((p) => p.pointer), ['/version', '/id'])
  t.same(patchedDocument(current, [1], ['name'], []).problems, [{ pointer: '', message: 'must be a JSON object: a JSON Merge Patch (RFC 7396) of the document' }])
})

t.test('If-Match', async (t) => {
  const req = (v?: string) => ({ headers: v === undefined ? {} : { 'if-match': v } }) as any
  t.equal(parseIfMatch(req()), undefined)
  t.same(parseIfMatch(req('"3"')), { any: false, versions: [3] })
  t.same(parseIfMatch(req('"3", "4"')), { any: false, versions: [3, 4] })
  t.same(parseIfMatch(req('*')), { any: true, versions: [] })
  t.same(parseIfMatch(req('W/"3"')), { any: false, versions: [] }, 'a weak tag never matches')
  for (const bad of ['3', '"abc"', '"1234567890"', '', ' , ', '"3" junk']) t.throws(() => parseIfMatch(req(bad)), { status: 400, errors: [{ header: 'if-match' }] }, JSON.stringify(bad))
  t.doesNotThrow(() => assertVersion({ any: false, versions: [3] }, 3))
  t.doesNotThrow(() => assertVersion({ any: true, versions: [] }, 9))
  t.throws(() => assertVersion({ any: false, versions: [2] }, 3), { status: 412, errors: [{ header: 'if-match' }] }, 'another version is a 412')
})

t.test('cursors round-trip and forged ones are a 400 naming cursor', async (t) => {
  const id = '6f1c2d9e-4a5b-4c3d-8e7f-0a1b2c3d4e5f'
  t.same(decodeCursor(encodeCursor(['peckham', id]), ['text', 'uuid']), ['peckham', id])
  t.equal(decodeCursor(undefined, ['uuid']), null)
  const forged = [
    'not base64 json', encodeCursor(['x']), encodeCursor(['x', 'not-a-uuid']), encodeCursor([1, id]),
    Buffer.from('{"a":1}').toString('base64url'), encodeCursor(['a\u0000', id]),
  ]
  for (const c of forged) {
    try {
      decodeCursor(c, ['text', 'uuid'])
      t.fail(`accepted ${c}`)
    } catch (err) {
      t.same((err as ValidationError).errors, [{ parameter: 'cursor', message: 'is not a cursor from this list: pass next_cursor back unchanged' }])
    }
  }
})
