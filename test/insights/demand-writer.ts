/**
 * One writer of test/insights/recorder.test.ts's concurrency test: a recorder that counts
 * `perRound` searches over 10 keys and flushes, `rounds` times. As a process:
 * node --import=tsx demand-writer.ts <database-url> <rounds> <perRound>
 */
import { connect, type Db } from '../../src/db/client.ts'
import { DemandRecorder } from '../../src/insights/recorder.ts'
import { loadAuthorities } from '../../src/geo/authorities.ts'
import { parseSearchParams } from '../../src/search/params.ts'

const NEEDS = ['loneliness', 'debt', 'bereavement', 'caring', 'low_mood']

export async function writeDemand(db: Db, rounds: number, perRound: number): Promise<void> {
  await loadAuthorities()
  const rec = new DemandRecorder(db, { maxKeys: 1000, flushIntervalMs: 3600000 })
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < perRound; i++) {
      const p = parseSearchParams({ postcode: 'SE15 4', need: NEEDS[i % NEEDS.length] }, '2026-12-03')
      if (!p.ok) throw new Error('bad')
      rec.record({ filters: p.filters, today: '2026-12-03', found: i % 2 === 0 })
    }
    await rec.flush()
  }
  await rec.close()
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [url, rounds, perRound] = process.argv.slice(2)
  const db = await connect({ url, poolMax: 2 })
  await writeDemand(db, Number(rounds), Number(perRound))
  await db.close()
}
