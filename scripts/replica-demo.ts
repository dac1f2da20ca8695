// npm run replica:demo: a streaming replica of the local PostgreSQL 15 cluster on another port,
// searches served from it through DATABASE_READ_URL while writes (and reads by id, which must
// see a writer's own write) go to the primary, and the replication lag observed. Needs root
// (pg_createcluster), PostGIS and a replication line in the primary's pg_hba.conf (added if
// missing). The base backup copies the whole cluster; the replica is dropped at the end.
//   PRIMARY_URL (default postgres://postgres@127.0.0.1:5432/postgres)  REPLICA_PORT (default 5440)
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, appendFileSync, rmSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { migrate } from '../src/db/migrate.ts'
import { connect } from '../src/db/client.ts'

const PRIMARY = process.env.PRIMARY_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const PORT = Number(process.env.REPLICA_PORT ?? 5440)
const VERSION = '15'
const CLUSTER = 'signpost_replica'
const DB = 'signpost_replica_demo'
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString()
const withDb = (url: string, db: string, port?: number) => { const u = new URL(url); u.pathname = '/' + db; if (port) u.port = String(port); return u.toString() }

async function main() {
  const admin = new pg.Client({ connectionString: PRIMARY })
  await admin.connect()
  // 1. the primary accepts replication connections from this machine
  const hba = (await admin.query('SHOW hba_file')).rows[0].hba_file as string
  if (!/^host\s+replication\s+all\s+127\.0\.0\.1\/32/m.test(readFileSync(hba, 'utf8'))) {
    appendFileSync(hba, '\nhost replication all 127.0.0.1/32 trust\n')
    await admin.query('SELECT pg_reload_conf()')
  }
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${DB}`)
  await admin.end()
  const primaryUrl = withDb(PRIMARY, DB)
  const setup = await connect({ url: primaryUrl })
  await migrate(setup)
  await setup.close()

  // 2. a fresh replica cluster from pg_basebackup -R (streaming, hot standby)
  if (existsSync(`/etc/postgresql/${VERSION}/${CLUSTER}`)) run('pg_dropcluster', ['--stop', VERSION, CLUSTER])
  run('pg_createcluster', [VERSION, CLUSTER, '-p', String(PORT)])
  try {
    // the new cluster's files are replaced by a base backup of the primary (postgres owns it)
    const dataDir = `/var/lib/postgresql/${VERSION}/${CLUSTER}`
    rmSync(dataDir, { recursive: true, force: true })
    run('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '700', dataDir])
    const u = new URL(PRIMARY)
    run('su', ['postgres', '-c', `pg_basebackup -h ${u.hostname} -p ${u.port || 5432} -U ${u.username || 'postgres'} -D ${dataDir} -R -X stream -c fast`])
    // the same local trust as the primary on this machine (pg_createcluster's default asks for passwords)
    writeFileSync(`/etc/postgresql/${VERSION}/${CLUSTER}/pg_hba.conf`, 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n')
    run('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, CLUSTER, 'start'])
    const replicaUrl = withDb(PRIMARY, DB, PORT)
    console.log(`replica cluster ${VERSION}/${CLUSTER} on port ${PORT}, streaming from ${u.hostname}:${u.port || 5432}`)
    // the bootstrap admin key of the demo (random, used only here)
    const adminKey = randomBytes(24).toString('base64url')
    const app = await buildApp(loadConfig({
      DATABASE_URL: primaryUrl, DATABASE_READ_URL: replicaUrl, ADMIN_API_KEY: adminKey,
      LOG_LEVEL: 'error', SEED_DEMO: 'false', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
    }))
    await app.ready()
    const [standby] = await app.db.reader.query<{ r: boolean; port: number }>('SELECT pg_is_in_recovery() AS r, current_setting(\'port\')::int AS port')
    const [primary] = await app.db.query<{ r: boolean; port: number }>('SELECT pg_is_in_recovery() AS r, current_setting(\'port\')::int AS port')
    console.log(`search reads (DATABASE_READ_URL): port ${standby.port}, in recovery (a standby): ${standby.r}`)
    console.log(`writes and reads by id (DATABASE_URL): port ${primary.port}, in recovery: ${primary.r}`)

    const api = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined })
      if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`)
      return res.json()
    }
    const lags: number[] = []
    const N = 20
    let ownReads = 0
    for (let i = 0; i < N; i++) {
      // a scheme written through the API (the primary) …
      const org = await api('POST', '/v1/organisations', { name: `Replica demo ${i} ${Date.now()}` })
      const venue = await api('POST', '/v1/venues', { organisation_id: org.id, name: 'Hall', address: { line1: '1 Rye Lane', town: 'London', postcode: 'SE15 4AA' }, location: { lat: 51.4691, lon: -0.0693 } })
      const scheme = await api('POST', '/v1/schemes', {
        organisation_id: org.id, name: `Replica walk ${i}`, description: 'demo', categories: ['walking'], delivery: ['in_person'], cost: { free: true },
        contact: { email: 'walks@example.org.uk' },
        sessions: [{ venue_id: venue.id, frequency: 'weekly', days: ['tue'], starts: '18:00', ends: '19:00' }],
      })
      const written = performance.now()
      // … is read back by id at once (the primary: a writer always reads its own write) …
      if ((await api('GET', `/v1/schemes/${scheme.id}`)).id === scheme.id) ownReads++
      // … and searched for, from the standby, until it shows
      for (;;) {
        const page = await api('GET', `/v1/schemes?lat=51.4691&lon=-0.0693&radius_m=1000&organisation_id=${org.id}`)
        if (page.items.some((x: any) => x.id === scheme.id)) break
        if (performance.now() - written > 10000) throw new Error('not replicated within 10 s')
        await new Promise((res) => setTimeout(res, 1))
      }
      lags.push(performance.now() - written)
    }
    const [replay] = await app.db.reader.query<{ lag: number | null }>('SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000 AS lag')
    const [sent] = await app.db.query<{ bytes: number | null }>('SELECT max(pg_wal_lsn_diff(sent_lsn, replay_lsn))::int8 AS bytes FROM pg_stat_replication')
    lags.sort((a, b) => a - b)
    console.log(`${N} schemes written through the API: each read back by id at once from the primary (${ownReads} of ${N}), then found by searches served by the standby`)
    console.log(`replication lag, write acknowledged → visible to a search on the standby: p50 ${lags[Math.floor(N / 2)].toFixed(1)} ms, max ${lags[N - 1].toFixed(1)} ms`)
    console.log(`at the end: ${sent.bytes ?? 'n/a'} bytes of WAL sent to the standby and not yet replayed; the last commit it replayed was ${replay.lag === null ? 'n/a' : replay.lag.toFixed(1) + ' ms'} old`)
    // coverage reads from the standby too: read-only statements, nothing made there
    const cov = await api('GET', '/v1/insights/coverage?category=walking&radius_m=2000')
    const southwark = cov.authorities.find((a: any) => a.code === 'E09000028')
    console.log(`coverage served by the standby: Southwark has ${southwark.schemes} matching schemes; ` +
      `${Math.round(southwark.covered_share * 100)}% of its postcodes are within 2 km of a walking group`)
    await app.close()
  } finally {
    run('pg_dropcluster', ['--stop', VERSION, CLUSTER])
    const c = new pg.Client({ connectionString: PRIMARY }); await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`); await c.end()
  }
}

main().catch((err) => { console.error(err); process.exit(1) })
