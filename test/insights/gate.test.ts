import t from 'tap'
import { coverageGate, Gate } from '../../src/insights/gate.ts'
import { ServiceUnavailableError } from '../../src/errors.ts'

/** A computation the test finishes when it chooses. */
function deferred() {
  let resolve!: (v: string) => void
  let reject!: (e: Error) => void
  const promise = new Promise<string>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}
const tick = () => new Promise((r) => setImmediate(r))

t.test('one runs, two wait in order, the next is refused until a place frees', async (t) => {
  const gate = new Gate(1, 2, () => new Error('busy'))
  const started: string[] = []
  const jobs = ['a', 'b', 'c'].map((name) => ({ name, d: deferred() }))
  const results = jobs.map(({ name, d }) => gate.run(() => { started.push(name); return d.promise }))
  await tick()
  t.same(started, ['a'], 'only the first runs')
  await t.rejects(gate.run(async () => 'd'), { message: 'busy' }, 'a fourth, with two already waiting, is refused at once')

  jobs[0].d.resolve('A')
  t.equal(await results[0], 'A')
  await tick()
  t.same(started, ['a', 'b'], 'the first in line takes the place')
  const e = gate.run(async () => { started.push('e'); return 'E' })
  jobs[1].d.reject(new Error('failed'))
  await t.rejects(results[1], { message: 'failed' })
  await tick()
  t.same(started, ['a', 'b', 'c'], 'a failure gives the place on as well')
  jobs[2].d.resolve('C')
  t.equal(await results[2], 'C')
  t.equal(await e, 'E')
  t.same(started, ['a', 'b', 'c', 'e'])
  t.equal(await gate.run(async () => 'free'), 'free', 'an empty gate runs at once')
})

t.test('two at once when the gate allows two', async (t) => {
  const gate = new Gate(2, 0, () => new Error('busy'))
  const a = deferred()
  const b = deferred()
  const running = [gate.run(() => a.promise), gate.run(() => b.promise)]
  await t.rejects(gate.run(async () => 'c'), { message: 'busy' })
  a.resolve('A'); b.resolve('B')
  t.same(await Promise.all(running), ['A', 'B'])
})

t.test("coverage's gate refuses with a 503 and Retry-After", async (t) => {
  const gate = coverageGate()
  t.equal(gate.running, 1)
  const held = deferred()
  const first = gate.run(() => held.promise)
  const waiting = Array.from({ length: gate.waiting }, () => gate.run(async () => 'x'))
  const err = await gate.run(async () => 'y').catch((e) => e)
  t.ok(err instanceof ServiceUnavailableError)
  t.equal(err.status, 503)
  t.equal(err.headers['retry-after'], '10')
  held.resolve('done')
  t.equal(await first, 'done')
  t.same(await Promise.all(waiting), Array(gate.waiting).fill('x'))
})
