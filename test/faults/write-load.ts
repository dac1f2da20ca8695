/**
 * A write load through the API (scheme creates and updates, as publishers make them) that
 * remembers every acknowledgement, and the check afterwards that every acknowledged write
 * is present and exact and that nothing is half written. Used against an app in this
 * process (database stopped and started under it) and against a real server process
 * (SIGTERM under load).
 */
export interface Answer { status: number; etag?: string; body: string }
/** One HTTP request; a network failure resolves to status 0. */
export type Send = (method: string, url: string, opts?: { key?: string; body?: unknown; headers?: Record<string, string> }) => Promise<Answer>
export type Sql = (text: string, values?: unknown[]) => Promise<any[]>

interface Tracked {
  id: string
  name: string
  etag?: string
  busy: boolean
  /** every acknowledged state: version → description */
  acked: Map<number, string>
  /** descriptions sent without an answer we could trust (503, reset): maybe applied, maybe not */
  unsure: Set<string>
}

export interface Figures {
  attempted: number
  acknowledged: number
  failed: number
  creates: { attempted: number; acknowledged: number }
  updates: { attempted: number; acknowledged: number }
  statuses: Record<string, number>
  lost: number
  halfWritten: number
  /** failed creates that turned out committed in full (the answer was lost, not the write) */
  committedUnacknowledged: number
  problems: string[]
}

export class SchemeWriteLoad {
  readonly tracked: Tracked[] = []
  readonly unackedCreates: string[] = []
  readonly fig: Figures = { attempted: 0, acknowledged: 0, failed: 0, creates: { attempted: 0, acknowledged: 0 }, updates: { attempted: 0, acknowledged: 0 }, statuses: {}, lost: 0, halfWritten: 0, committedUnacknowledged: 0, problems: [] }
  private n = 0
  readonly prefix: string
  organisationId = ''
  private key = ''
  private venueId = ''

  constructor(private readonly send: Send, run = Math.random().toString(36).slice(2, 8)) {
    this.prefix = `Load ${run}`
  }

  /** An organisation, a publisher key and a venue, made by the admin key. */
  async setup(adminKey: string) {
    const org = await this.must(this.send('POST', '/v1/organisations', { key: adminKey, body: { name: `${this.prefix} organisation` } }), 201)
    this.organisationId = org.id
    const k = await this.must(this.send('POST', '/v1/keys', { key: adminKey, body: { role: 'publisher', organisation_id: org.id, label: 'load' } }), 201)
    this.key = k.key
    const venue = await this.must(this.send('POST', '/v1/venues', {
      key: this.key,
      body: { name: `${this.prefix} hall`, address: { line1: '1 Rye Lane', town: 'London', postcode: 'SE15 4AA' }, location: { lat: 51.4703, lon: -0.0686 }, accessibility: ['step_free'] },
    }), 201)
    this.venueId = venue.id
  }

  private async must(p: Promise<Answer>, status: number) {
    const a = await p
    if (a.status !== status) throw new Error(`setup: expected ${status}, got ${a.status} ${a.body.slice(0, 300)}`)
    return JSON.parse(a.body)
  }

  private count(a: Answer) {
    this.fig.attempted++
    this.fig.statuses[a.status] = (this.fig.statuses[a.status] ?? 0) + 1
    if (a.status >= 200 && a.status < 300) this.fig.acknowledged++
    else this.fig.failed++
  }

  body(n: number) {
    return {
      name: `${this.prefix} scheme ${n}`,
      description: `created ${n}`,
      categories: ['walking'],
      needs: ['loneliness'],
      audience: [],
      delivery: ['in_person'],
      cost: { free: true },
      self_referral: true,
      languages: ['en'],
      contact: { phone: '020 7946 0958' },
      sessions: [{ venue_id: this.venueId, frequency: 'weekly', days: ['tue', 'thu'], starts: '18:00', ends: '19:30' }],
    }
  }

  async create() {
    const n = ++this.n
    const body = this.body(n)
    this.fig.creates.attempted++
    const a = await this.send('POST', '/v1/schemes', { key: this.key, body })
    this.count(a)
    if (a.status === 201) {
      this.fig.creates.acknowledged++
      const doc = JSON.parse(a.body)
      this.tracked.push({ id: doc.id, name: body.name, etag: a.etag, busy: false, acked: new Map([[doc.version, body.description]]), unsure: new Set() })
    } else {
      this.unackedCreates.push(body.name)
    }
  }

  async update() {
    const idle = this.tracked.filter((s) => !s.busy)
    if (idle.length === 0) return this.create()
    const s = idle[Math.floor(Math.random() * idle.length)]
    s.busy = true
    try {
      if (!s.etag) {
        // after an unsure write the ETag is unknown: read it again first
        const g = await this.send('GET', `/v1/schemes/${s.id}`, { key: this.key })
        if (g.status !== 200) return
        s.etag = g.etag
      }
      const description = `update ${++this.n}`
      this.fig.updates.attempted++
      const a = await this.send('PATCH', `/v1/schemes/${s.id}`, { key: this.key, body: { description }, headers: { 'if-match': s.etag ?? '', 'content-type': 'application/merge-patch+json' } })
      this.count(a)
      if (a.status === 200) {
        this.fig.updates.acknowledged++
        const doc = JSON.parse(a.body)
        s.acked.set(doc.version, description)
        s.etag = a.etag
      } else {
        s.unsure.add(description)
        s.etag = undefined
      }
    } finally {
      s.busy = false
    }
  }

  /** `workers` loops of creates (1 in 3) and updates until `stop()` says so. */
  async run(workers: number, stop: () => boolean) {
    await Promise.all(Array.from({ length: workers }, async () => {
      while (!stop()) {
        if (this.tracked.length < 3 || Math.random() < 0.34) await this.create()
        else await this.update()
      }
    }))
  }

  /**
   * Every acknowledged create and update must be in the database exactly (the scheme row,
   * its session, and its history entry for that version); every scheme of the run must be
   * whole (one session, a history entry for each version 1..version); a create that failed
   * is either absent or whole.
   */
  async verify(sql: Sql): Promise<Figures> {
    const p = this.fig.problems
    const rows = await sql(
      `SELECT s.id, s.name, s.description, s.version,
              (SELECT count(*)::int FROM sessions x WHERE x.scheme_id = s.id) AS sessions,
              (SELECT count(*)::int FROM scheme_history h WHERE h.scheme_id = s.id) AS history,
              (SELECT max(version) FROM scheme_history h WHERE h.scheme_id = s.id) AS history_max,
              (SELECT jsonb_object_agg(h.version::text, h.document->>'description') FROM scheme_history h WHERE h.scheme_id = s.id) AS descriptions
         FROM schemes s WHERE s.organisation_id = $1`, [this.organisationId])
    const byId = new Map(rows.map((r: any) => [r.id, r]))
    for (const r of rows) {
      if (r.sessions !== 1 || r.history !== r.version || r.history_max !== r.version) {
        this.fig.halfWritten++
        p.push(`half written: ${r.name} version ${r.version}, ${r.sessions} sessions, ${r.history} history rows`)
      }
    }
    for (const s of this.tracked) {
      const r: any = byId.get(s.id)
      if (!r) { this.fig.lost += s.acked.size; p.push(`lost: ${s.name} is not in the database`); continue }
      if (r.name !== s.name) p.push(`changed: ${s.name} is now named ${r.name}`)
      for (const [version, description] of s.acked) {
        if (r.descriptions?.[String(version)] !== description) { this.fig.lost++; p.push(`lost: ${s.name} version ${version} should say "${description}", history has "${r.descriptions?.[String(version)]}"`) }
      }
      const lastAcked = Math.max(...s.acked.keys())
      // The current text is the last acknowledged one, or a later write whose answer was lost.
      if (r.version === lastAcked && r.description !== s.acked.get(lastAcked)) p.push(`wrong: ${s.name} says "${r.description}" at version ${r.version}`)
      if (r.version < lastAcked) { this.fig.lost++; p.push(`lost: ${s.name} is at version ${r.version}, below acknowledged ${lastAcked}`) }
      if (r.version > lastAcked && !s.unsure.has(r.description)) p.push(`unexplained: ${s.name} version ${r.version} says "${r.description}"`)
    }
    const names = new Map(rows.map((r: any) => [r.name, r]))
    for (const name of this.unackedCreates) if (names.has(name)) this.fig.committedUnacknowledged++
    const ackedIds = new Set(this.tracked.map((s) => s.id))
    const unacked = new Set(this.unackedCreates)
    for (const r of rows) if (!ackedIds.has(r.id) && !unacked.has(r.name)) p.push(`unexplained row: ${r.name}`)
    return this.fig
  }
}

/** A Send over fetch to a listening server; network failures are status 0. */
export function httpSend(base: string): Send {
  return async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) }
    if (opts.key) headers.authorization = `Bearer ${opts.key}`
    if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json'
    try {
      const res = await fetch(base + url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: AbortSignal.timeout(20000) })
      return { status: res.status, etag: res.headers.get('etag') ?? undefined, body: await res.text() }
    } catch {
      return { status: 0, body: '' }
    }
  }
}

/** A Send over Fastify's inject (no sockets). */
export function injectSend(app: { inject: (o: any) => Promise<any> }): Send {
  return async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) }
    if (opts.key) headers.authorization = `Bearer ${opts.key}`
    if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json'
    const r = await app.inject({ method, url, headers, payload: opts.body === undefined ? undefined : JSON.stringify(opts.body) })
    return { status: r.statusCode, etag: r.headers.etag as string | undefined, body: r.body }
  }
}
