// npm run replica:demo: a streaming replica of the local PostgreSQL 15 cluster on another port,
// searches served from it through DATABASE_READ_URL while writes go to the primary, and the
// replication lag observed. Needs root (pg_createcluster) and PostGIS on the primary cluster.
//   PRIMARY_URL (default postgres://postgres@127.0.0.1:5432/postgres)  REPLICA_PORT (default 5440)
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, appendFileSync, rmSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { sql } from 'drizzle-orm'
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
    const app = await buildApp(loadConfig({ DATABASE_URL: primaryUrl, DATABASE_READ_URL: replicaUrl, LOG_LEVEL: 'error', SEED_DEMO: 'false', PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' }))
    await app.ready()
    const [inRecovery] = await app.db.reader.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')
    const [primaryRecovery] = await app.db.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')
    console.log(`reader connection in recovery (a standby): ${inRecovery.r}; writer: ${primaryRecovery.r}`)

    const lags: number[] = []
    const N = 20
    for (let i = 0; i < N; i++) {
      // a write on the primary …
      const [org] = await app.db.query<{ id: string }>(sql`INSERT INTO organisations (name) VALUES (${'Replica demo ' + i}) RETURNING id`)
      const [venue] = await app.db.query<{ id: string }>(sql`INSERT INTO venues (organisation_id, name, line1, town, postcode, location)
        VALUES (${org.id}, 'Hall', '1 High Street', 'London', 'SE15 4AA', ST_SetSRID(ST_MakePoint(-0.0693, 51.4691), 4326)::geography) RETURNING id`)
      const [scheme] = await app.db.query<{ id: string }>(sql`INSERT INTO schemes (organisation_id, name, description) VALUES (${org.id}, ${'Replica walk ' + i + ' ' + Date.now()}, 'demo') RETURNING id`)
      await app.db.query(sql`INSERT INTO sessions (scheme_id, position, venue_id, frequency, days, starts, ends) VALUES (${scheme.id}, 0, ${venue.id}, 'weekly', '{tue}', '18:00', '19:00')`)
      const written = performance.now()
      // … is searched for through the API, served by the replica, until it shows
      for (;;) {
        const r = await app.inject(`/v1/schemes?lat=51.4691&lon=-0.0693&radius_m=1000&organisation_id=${org.id}`)
        if (r.statusCode !== 200) throw new Error(`search answered ${r.statusCode}: ${r.body}`)
        if (r.json().items.some((x: any) => x.id === scheme.id)) break
        if (performance.now() - written > 10000) throw new Error('not replicated within 10 s')
        await new Promise((res) => setTimeout(res, 1))
      }
      lags.push(performance.now() - written)
    }
    const [lsn] = await app.db.reader.query<{ lag: number | null }>('SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000 AS lag')
    lags.sort((a, b) => a - b)
    console.log(`writes on the primary: ${N}, each then found by API searches that read from the standby`)
    console.log(`replication lag, write committed → visible in an API search: p50 ${lags[Math.floor(N / 2)].toFixed(1)} ms, max ${lags[N - 1].toFixed(1)} ms`)
    console.log(`pg_last_xact_replay_timestamp age at the end: ${lsn.lag === null ? 'n/a' : lsn.lag.toFixed(1) + ' ms'}`)
    await app.close()
  } finally {
    run('pg_dropcluster', ['--stop', VERSION, CLUSTER])
    const c = new pg.Client({ connectionString: PRIMARY }); await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`); await c.end()
  }
}

main().catch((err) => { console.error(err); process.exit(1) })
