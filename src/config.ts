import Type, { type Static } from 'typebox'
import { Value } from 'typebox/value'
import { isIP } from 'node:net'

// Every setting the service reads. Only this module touches process.env.
export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL + PostGIS connection URL; unset: embedded PGlite' })),
  DATABASE_READ_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'optional read replica used for searches' })),
  DATA_DIR: Type.String({ minLength: 1, default: './data', description: 'embedded database folder' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  ADMIN_API_KEY: Type.Optional(Type.String({ minLength: 32, maxLength: 200, pattern: '^[A-Za-z0-9._~-]+$',
    description: 'bootstrap admin key (stored hashed)' })),
  SEED_DEMO: Type.Union([Type.Literal('auto'), Type.Literal('true'), Type.Literal('false')], { default: 'auto' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  READS_REQUIRE_KEY: Type.Boolean({ default: false }),
  SEARCH_SUGGESTIONS: Type.Boolean({ default: true,
    description: 'suggestions on a search with a place that finds nothing (docs/search.md); false leaves them out, each costing about one search per filter' }),
  FEED_TOMBSTONE_DAYS: Type.Integer({ minimum: 7, maximum: 3650, default: 7,
    description: 'days a deleted item stays in the change feeds before it is compacted away (docs/feeds.md); at least 7' }),
  FEED_LICENSE_URL: Type.String({ format: 'uri', pattern: '^https?://', default: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
    description: 'the licence of the directory\'s data, named in every feed page' }),
  FEED_WORKER: Type.Boolean({ default: true, description: 'run webhook deliveries and tombstone compaction in this process (several may: they share the work)' }),
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false,
    description: 'development and tests only: lets webhooks use http:// and reach private, loopback and link-local addresses' }),
  WEBHOOK_POLL_MS: Type.Integer({ minimum: 10, maximum: 600000, default: 1000, description: 'how often the worker looks for changes to deliver' }),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 10000, description: 'how long a receiver has to answer' }),
  WEBHOOK_RETRY_BASE_MS: Type.Integer({ minimum: 10, maximum: 86400000, default: 30000, description: 'the wait after a first failed delivery; it doubles each time' }),
  WEBHOOK_RETRY_MAX_MS: Type.Integer({ minimum: 10, maximum: 86400000, default: 3600000, description: 'the longest wait between two attempts' }),
  WEBHOOK_DISABLE_AFTER: Type.Integer({ minimum: 1, maximum: 100000, default: 30,
    description: 'failed attempts in a row after which a subscription is turned off (its undelivered changes wait for it to be turned on)' }),
  DB_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10, description: 'connections per pool' }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 5000 }),
  DB_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 3000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 600000, default: 15000 }),
  RATE_LIMIT_READ_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 600, description: 'requests a minute per API key, or per IP without one' }),
  RATE_LIMIT_WRITE_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 120 }),
  CORS_WRITE_ORIGINS: Type.String({ default: '', description: 'comma-separated origins allowed to write from a browser; reads are open to all' }),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000000, default: 30,
    description: 'requests with a bad or revoked key an address may make a minute before it is refused with 429' }),
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 60000,
    description: 'mean event-loop delay over a sample above which requests get 503; 0 turns the check off; unset: 1000 with DATABASE_URL, off on the ' +
      'embedded database (whose queries run on the event loop)' })),
  PRESSURE_MAX_HEAP_USED_MB: Type.Integer({ minimum: 0, maximum: 1000000, default: 0,
    description: 'V8 heap in use above which requests get 503; 0: 90% of the heap limit' }),
  PRESSURE_MAX_RSS_MB: Type.Integer({ minimum: 0, maximum: 1000000, default: 0,
    description: 'resident memory above which requests get 503; 0 turns the check off' }),
  PRESSURE_SAMPLE_INTERVAL_MS: Type.Integer({ minimum: 10, maximum: 60000, default: 1000, description: 'how often event-loop delay and memory are sampled' }),
  TRUST_PROXY: Type.String({ default: 'false',
    description: 'which hops may set X-Forwarded-For (the client address used for rate limits and logs): false (default: the peer is the client), ' +
      'true (any), a hop count, or a comma-separated list of proxy IPs/CIDRs (or loopback, linklocal, uniquelocal)' }),
  PRESSURE_RETRY_AFTER_S: Type.Integer({ minimum: 1, maximum: 3600, default: 10, description: 'Retry-After of a 503 for an overloaded process' }),
  // Freshness (docs/freshness.md): reminders, confirmation links, reports from the public.
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://', description: 'where e-mail is sent (smtp://user:pass@host:587 or smtps://…); unset: ' +
    'reminders and report digests are written to the log and the mail_jobs table instead' })),
  MAIL_FROM: Type.String({ minLength: 3, maxLength: 200, default: 'Signpost <no-reply@signpost.invalid>', description: 'the From of every e-mail' }),
  PUBLIC_BASE_URL: Type.String({ pattern: '^https?://[^/?#]+$', default: 'http://localhost:3000',
    description: 'the service\'s public address (no trailing slash), for the links in e-mails' }),
  REMINDER_DAYS: Type.String({ pattern: '^\\d{1,4}(,\\d{1,4}){0,9}$', default: '90,150,170',
    description: 'days since last_verified_at at which a scheme\'s organisation is reminded, comma-separated, ascending; the last is the last notice' }),
  UNCONFIRMED_AFTER_DAYS: Type.Integer({ minimum: 1, maximum: 36500, default: 365,
    description: 'days since last_verified_at after which a scheme leaves search and the feeds until it is confirmed' }),
  SCHEDULER_INTERVAL_S: Type.Integer({ minimum: 0, maximum: 86400, default: 300,
    description: 'seconds between the freshness scheduler\'s runs (reminders, unlisting, report digests); 0 turns it off in this process' }),
  REPORTS_PER_HOUR: Type.Integer({ minimum: 1, maximum: 100000, default: 10, description: 'reports from the public an address may send an hour' }),
  DEMAND_RECORDING: Type.Boolean({ default: true,
    description: 'count each search in the daily demand figures (local authority, filter codes, found or not; docs/insights.md); false counts nothing' }),
  DEMAND_FLUSH_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 3600000, default: 10000,
    description: 'how often the demand counters are written; a crash loses at most this much of counting' }),
  DEMAND_MAX_KEYS: Type.Integer({ minimum: 1, maximum: 1000000, default: 20000,
    description: 'distinct demand counters held between writes (bounded memory); a search past it is not counted' }),
  COVERAGE_CACHE_SECONDS: Type.Integer({ minimum: 0, maximum: 86400, default: 300,
    description: 'how long a coverage answer is kept per filter set (any write to schemes, venues or sessions drops it); 0 keeps none' }),
  COVERAGE_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 600000, default: 60000,
    description: 'how long each statement of a coverage or gaps computation may run (they read the whole directory), instead of DB_STATEMENT_TIMEOUT_MS' }),
}, { additionalProperties: true })

export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`)
  }
}

const numeric = new Set(['PORT', 'FEED_TOMBSTONE_DAYS', 'WEBHOOK_POLL_MS', 'WEBHOOK_TIMEOUT_MS', 'WEBHOOK_RETRY_BASE_MS', 'WEBHOOK_RETRY_MAX_MS',
  'WEBHOOK_DISABLE_AFTER', 'DB_POOL_MAX', 'DB_STATEMENT_TIMEOUT_MS', 'DB_CONNECT_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS',
  'RATE_LIMIT_READ_PER_MINUTE', 'RATE_LIMIT_WRITE_PER_MINUTE', 'RATE_LIMIT_AUTH_FAILURES_PER_MINUTE', 'PRESSURE_MAX_EVENT_LOOP_DELAY_MS',
    'PRESSURE_MAX_HEAP_USED_MB', 'PRESSURE_MAX_RSS_MB', 'PRESSURE_SAMPLE_INTERVAL_MS', 'PRESSURE_RETRY_AFTER_S',
  'UNCONFIRMED_AFTER_DAYS', 'SCHEDULER_INTERVAL_S', 'REPORTS_PER_HOUR', 'DEMAND_FLUSH_INTERVAL_MS', 'DEMAND_MAX_KEYS', 'COVERAGE_CACHE_SECONDS', 'COVERAGE_TIMEOUT_MS'])
const booleans = new Set(['READS_REQUIRE_KEY', 'SEARCH_SUGGESTIONS', 'FEED_WORKER', 'WEBHOOK_ALLOW_PRIVATE', 'DEMAND_RECORDING'])

/** Reads the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {}
  const problems: string[] = []
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key]
    if (value === undefined || value === '') continue
    if (numeric.has(key)) {
      raw[key] = /^-?\d+$/.test(value.trim()) ? Number(value) : value
    } else if (booleans.has(key)) {
      raw[key] = value === 'true' ? true : value === 'false' ? false : value
    } else {
      raw[key] = value
    }
  }
  const withDefaults = Value.Default(ConfigSchema, { ...raw, ...overrides }) as Record<string, unknown>
  // Check each variable on its own so that every bad one is named, not just the first.
  for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
    const value = withDefaults[key]
    if (value === undefined) continue
    if (!Value.Check(schema, value) || (key === 'TRUST_PROXY' && trustProxy(value as string) === undefined) ||
      (key === 'REMINDER_DAYS' && reminderDays(value as string) === undefined)) problems.push(`${key}: ${describe(key, env[key])}`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return withDefaults as Config
}

function describe(key: string, value: string | undefined): string {
  const shown = key === 'ADMIN_API_KEY' || key.endsWith('URL') ? '(hidden)' : JSON.stringify(value)
  const schema = (ConfigSchema.properties as Record<string, any>)[key]
  if (numeric.has(key)) return `must be a whole number from ${schema.minimum} to ${schema.maximum}, got ${shown}`
  if (booleans.has(key)) return `must be true or false, got ${shown}`
  if (schema.anyOf) return `must be one of ${schema.anyOf.map((s: any) => s.const).join(', ')}, got ${shown}`
  if (key === 'ADMIN_API_KEY') return 'must be 32 to 200 characters of A-Z a-z 0-9 . _ ~ -'
  if (key === 'TRUST_PROXY') return `must be true, false, a hop count, or a comma-separated list of IP addresses or CIDR ranges, got ${shown}`
  if (key === 'SMTP_URL') return 'must be an smtp:// or smtps:// URL'
  if (key === 'PUBLIC_BASE_URL') return `must be an http:// or https:// origin without a path, got ${JSON.stringify(value)}`
  if (key === 'REMINDER_DAYS') return `must be whole numbers of days, comma-separated, ascending, got ${shown}`
  if (key.endsWith('URL')) return 'must be a postgres:// or postgresql:// URL'
  return `is invalid, got ${shown}`
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * TRUST_PROXY as Fastify's trustProxy option takes it; undefined when the text is none of
 * true, false, a hop count (0–100), or a list of addresses, CIDR ranges and proxy-addr's names.
 */
export function trustProxy(text: string): boolean | number | string[] | undefined {
  const v = text.trim()
  if (v === 'true' || v === 'false') return v === 'true'
  if (/^\d{1,3}$/.test(v)) return Number(v) <= 100 ? Number(v) : undefined
  const entries = v.split(',').map((e) => e.trim())
  const ok = entries.every((e) => {
    if (PROXY_NAMES.has(e)) return true
    const [ip, prefix, extra] = e.split('/')
    const family = isIP(ip)
    if (family === 0 || extra !== undefined) return false
    return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
  })
  return ok && entries.length > 0 ? entries : undefined
}

/** REMINDER_DAYS as ascending day counts; undefined unless they ascend strictly from 1. */
export function reminderDays(text: string): number[] | undefined {
  const days = text.split(',').map(Number)
  return days.every((d, i) => Number.isInteger(d) && d >= 1 && (i === 0 || d > days[i - 1])) ? days : undefined
}
