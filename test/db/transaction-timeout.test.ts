/**
 * A transaction may give its statements longer than the pool's statement timeout (coverage reads
 * the whole directory: COVERAGE_TIMEOUT_MS), and only its own: the connection it gives back to
 * the pool has the short timeout again.
 */
import t from 'tap'
import { DB_KIND, freshDb, freshDbUrl } from '../helper.ts'
import { connect } from '../../src/db/client.ts'

/** The server cancelled the statement for its timeout, and the caller gets a 503. */
const cutShort = { status: 503, cause: { code: '57014' } }

t.test('a long transaction outlasts the pool\'s statement timeout; nothing else does', { skip: DB_KIND === 'pglite' && 'the embedded database has no statement timeout' }, async (t) => {
  const made = await freshDb(t)
  const db = await connect({ url: freshDbUrl(made), statementTimeoutMs: 300, poolMax: 1 })
  t.teardown(() => db.close())
  const sleep = 'SELECT pg_sleep(0.8) IS NULL AS slept'

  await t.rejects(db.query(sleep), cutShort, 'a plain statement is cut at 300 ms')
  await t.rejects(db.transaction((tx) => tx.query(sleep)), cutShort, 'so is one in an ordinary transaction')

  const rows = await db.transaction((tx) => tx.query<{ slept: boolean }>(sleep), { timeoutMs: 3000 })
  t.same(rows, [{ slept: false }], 'given 3 s, it runs to the end')
  const [{ timeout }] = await db.transaction((tx) => tx.query<{ timeout: string }>("SELECT current_setting('statement_timeout') AS timeout"), { timeoutMs: 3000 })
  t.equal(timeout, '3s')

  await t.rejects(db.transaction((tx) => tx.query(sleep), { timeoutMs: 400 }), cutShort, 'given 400 ms, it is cut')
  // one connection in the pool: the same one comes back, with the pool's timeout
  const [{ after }] = await db.query<{ after: string }>("SELECT current_setting('statement_timeout') AS after")
  t.equal(after, '300ms', 'the longer timeout ended with its transaction')
  await t.rejects(db.query(sleep), cutShort)
})
