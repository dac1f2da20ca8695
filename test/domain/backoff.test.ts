import t from 'tap'
import { backoffMs } from '../../src/domain/backoff.ts'

t.test('the wait doubles from the base after each failure, up to the most', async (t) => {
  const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, 30_000, 3_600_000))
  t.same(waits, [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000])
  t.equal(backoffMs(8, 30_000, 3_600_000), 3_600_000, 'the eighth would be 3,840 s: held at the most')
  t.equal(backoffMs(1_000_000, 30_000, 3_600_000), 3_600_000, 'a very long run of failures neither overflows nor passes the most')
  t.equal(backoffMs(0, 5, 100), 5, 'no failure yet counts as the first')
})
