import t from 'tap'
import fc from 'fast-check'
import { publish, publishParts } from '../../src/domain/suppression.ts'

t.test('the edges: 0 shown, 1 to 7 suppressed, 8 and up rounded to the nearest 5', async (t) => {
  t.same(publish(0), { value: 0, suppressed: false })
  t.same(publish(1), { value: null, suppressed: true })
  t.same(publish(7), { value: null, suppressed: true })
  t.same(publish(8), { value: 10, suppressed: false })
  t.same(publish(12), { value: 10, suppressed: false })
  t.same(publish(13), { value: 15, suppressed: false })
  t.same(publish(1002), { value: 1000, suppressed: false })
  t.throws(() => publish(-1))
  t.throws(() => publish(2.5))
})

t.test('any count: suppressed exactly when 1–7, else a multiple of 5 within 2 of the count', async (t) => {
  fc.assert(fc.property(fc.nat(100000), (n) => {
    const c = publish(n)
    if (n >= 1 && n <= 7) return c.suppressed && c.value === null
    return !c.suppressed && c.value !== null && c.value % 5 === 0 && Math.abs(c.value - n) <= 2
  }), { numRuns: 2000 })
})

t.test('secondary suppression: one suppressed part beside a shown total is never alone', async (t) => {
  const counts = fc.oneof(fc.constantFrom(0, 1, 7, 8, 12, 13), fc.nat(60))
  fc.assert(fc.property(fc.array(counts, { minLength: 1, maxLength: 8 }), (parts) => {
    const out = publishParts(parts)
    const hidden = out.parts.filter((c) => c.suppressed).length
    // every primary rule still holds
    for (let i = 0; i < parts.length; i++) if (parts[i] >= 1 && parts[i] <= 7 && !out.parts[i].suppressed) return false
    // a shown total with exactly one hidden part would give that part away
    if (!out.total.suppressed && hidden === 1) return false
    // shown cells are the primary figures, unchanged
    return out.parts.every((c, i) => c.suppressed || c.value === publish(parts[i]).value)
  }), { numRuns: 3000 })
})

t.test('secondary suppression at the edges', async (t) => {
  // 3 hidden; the smallest other non-zero part (8) goes with it, not the 0 nor the 13
  t.same(publishParts([3, 0, 8, 13]).parts.map((c) => c.value), [null, 0, null, 15])
  t.same(publishParts([3, 0, 8, 13]).total, { value: 25, suppressed: false })
  // nothing else to hide: the total goes
  t.same(publishParts([5, 0]).total, { value: null, suppressed: true })
  t.same(publishParts([12, 0]), { total: { value: 10, suppressed: false }, parts: [{ value: 10, suppressed: false }, { value: 0, suppressed: false }] })
  // two hidden already: nothing more
  t.same(publishParts([1, 7, 20]).parts.map((c) => c.value), [null, null, 20])
})
