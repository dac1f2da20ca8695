import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { hashKey } from '../repositories/keys.ts'
import type { Db } from '../db/client.ts'
import { schemeDocumentJson } from '../db/documents.ts'
import { ARCHETYPES, type Archetype, type Slot } from './archetypes.ts'
import { composeBreaks, composeCost, composeSessions, polygonArea, radiusArea, round } from './compose.ts'
import { TOWNS, type DemoTown } from './demo-places.ts'
import { REMOTE } from './demo-remote.ts'
import { foodBanks } from './demo-foodbanks.ts'
import { DEMO_CHOIR, DEMO_EXAMPLES, DEMO_WEBHOOK_URL } from './demo-examples.ts'
import { newSecret } from '../feeds/webhooks/signature.ts'
import { loadPlaces, type Place, type Places } from './places.ts'
import { Random, addDays, nameId, slug, ukToday } from './random.ts'
import { insertOrganisations, insertSchemes, insertSessions, insertVenues, type OrganisationRow, type SchemeRow, type SessionRow,
  type VenueRow } from './rows.ts'

/**
 * SPEC §6's demo dataset: real Give Food food banks plus invented local groups around
 * Peckham (London), Leeds, Bristol, Glasgow and Swansea, and some online, telephone and
 * home-visit schemes. Deterministic (seeded per town and per scheme; ids derived from
 * names) apart from dates, which are relative to today so the demo never goes stale.
 * Every row's source_id starts 'demo:'; rows already present are left as they are.
 */
export interface DemoData { organisations: OrganisationRow[]; venues: VenueRow[]; schemes: SchemeRow[]; sessions: SessionRow[] }

export async function seedDemo(db: Db): Promise<{ organisations: number; venues: number; schemes: number }> {
  const data = buildDemo(await loadPlaces(), ukToday())
  return db.transaction(async (tx) => {
    // two instances starting together must not both seed
    await tx.query('SELECT pg_advisory_xact_lock(7356203)')
    const organisations = await insertOrganisations(tx, data.organisations)
    const venues = await insertVenues(tx, data.venues)
    const schemes = await insertSchemes(tx, data.schemes)
    // sessions only for schemes written now: a demo scheme someone has edited keeps its own
    const fresh = new Set(schemes)
    await insertSessions(tx, data.sessions.filter((s) => fresh.has(s.scheme_id)))
    if (schemes.length) {
      // as src/repositories/history.ts keeps it: the version as created; a null actor is an in-process writer
      await tx.query(sql`
        INSERT INTO scheme_history (scheme_id, version, action, changed_at, actor_key_id, actor_role, document)
        SELECT s.id, s.version, 'create', s.created_at, NULL, NULL, ${schemeDocumentJson('s', 'o')}
        FROM schemes s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ANY(${`{${schemes.join(',')}}`}::uuid[])
        ON CONFLICT DO NOTHING`)
    }
    // a reader key whose secret is thrown away: the OpenAPI's example of a key to read and revoke
    await tx.query(sql`INSERT INTO api_keys (id, role, label, key_hash)
      VALUES (${DEMO_EXAMPLES.keyId}::uuid, 'reader', 'Demo: an example key whose secret nobody holds', ${hashKey(randomBytes(32).toString('hex'))})
      ON CONFLICT DO NOTHING`)
    // a webhook subscription, turned off so that it sends nothing: the OpenAPI's example of one
    await tx.query(sql`INSERT INTO webhook_subscriptions (id, url, events, organisation_id, secret, disabled_at, disabled_reason)
      VALUES (${DEMO_EXAMPLES.webhookId}::uuid, ${DEMO_WEBHOOK_URL}, '{scheme.updated}', ${DEMO_EXAMPLES.organisationId}::uuid,
        ${newSecret()}, now(), 'a demo subscription: turned off')
      ON CONFLICT DO NOTHING`)
    return { organisations: organisations.length, venues: venues.length, schemes: schemes.length }
  })
}

export function buildDemo(places: Places, today: string): DemoData {
  const data: DemoData = { organisations: [], venues: [], schemes: [], sessions: [] }
  const centres = new Map<string, Place>()
  const umbrellas = new Map<string, string>()
  for (const town of TOWNS) {
    const t = townGroups(places, town, today)
    for (const k of Object.keys(data) as Array<keyof DemoData>) (data[k] as unknown[]).push(...t[k])
    centres.set(town.key, t.centre)
    umbrellas.set(town.umbrella.name, t.umbrellaId)
  }
  remoteSchemes(data, centres, umbrellas, today)
  const fb = foodBanks(places, today)
  for (const k of Object.keys(data) as Array<keyof DemoData>) (data[k] as unknown[]).push(...fb[k])
  return data
}

interface Featured { archetype: string; name: string; venue: string; slot: Slot; frequency: SessionRow['frequency']; accessibility?: string[] }

/** Peckham's guaranteed answers to "Tuesday or Thursday evening, step-free, free, for loneliness". */
const PECKHAM_EVENINGS: Featured[] = [
  { archetype: 'walking', name: 'Peckham Evening Strollers', venue: 'rye-park', slot: { days: ['tue'], starts: '18:00', ends: '19:00' }, frequency: 'weekly' },
  { archetype: 'choir', name: 'Rye Lane Community Choir', venue: 'methodist', slot: { days: ['thu'], starts: '19:00', ends: '21:00' }, frequency: 'weekly' },
  { archetype: 'befriending', name: 'Peckham Evening Social', venue: 'bellenden', slot: { days: ['tue'], starts: '18:00', ends: '20:00' },
    frequency: 'fortnightly' },
  { archetype: 'mens_shed', name: "Nunhead Men's Shed", venue: 'workshop', slot: { days: ['thu'], starts: '18:00', ends: '21:00' }, frequency: 'weekly' },
  { archetype: 'peer', name: 'Open Minds Peckham', venue: 'library', slot: { days: ['thu'], starts: '18:00', ends: '19:30' }, frequency: 'weekly' },
  { archetype: 'lgbtq', name: 'Peckham Rainbow Café', venue: 'rye-cafe', slot: { days: ['tue', 'thu'], starts: '19:00', ends: '21:00' }, frequency: 'weekly' },
]

/** Peckham's groups for people the words autism-friendly and accompaniment are for (seeded after the rest, which they leave as they were). */
const PECKHAM_ACCESS: Featured[] = [
  { archetype: 'befriending', name: 'Quiet Saturday Social', venue: 'library', slot: { days: ['sat'], starts: '10:30', ends: '12:00' },
    frequency: 'weekly', accessibility: ['autism_friendly', 'sensory_friendly', 'quiet_space'] },
  { archetype: 'walking', name: 'Walk With Me Peckham', venue: 'rye-park', slot: { days: ['wed'], starts: '14:00', ends: '15:00' },
    frequency: 'weekly', accessibility: ['accompaniment', 'transport'] },
]

function townGroups(places: Places, town: DemoTown, today: string) {
  const out: DemoData = { organisations: [], venues: [], schemes: [], sessions: [] }
  const rng = new Random('town:' + town.key)
  const venuePlaces = new Map(town.venues.map((v) => [v.key,
    { ...v, place: places.inSector(new Random(`venue:${town.key}:${v.key}`), rng.pick(town.sectors)) }]))
  const centre: Place = {
    postcode: '', lat: round(mean([...venuePlaces.values()].map((v) => v.place.lat))), lon: round(mean([...venuePlaces.values()].map((v) => v.place.lon))),
  }
  const orgs = new Map<string, string>()
  const org = (name: string, description?: string) => {
    const key = `${town.key}:${slug(name)}`
    if (!orgs.has(key)) {
      const id = nameId(`demo:org:${key}`)
      orgs.set(key, id)
      const web = slug(name)
      out.organisations.push({ id, name, description,
        source_id: `demo:org:${key}`, website: `https://${web}.example`, email: `hello@${web}.example`, phone: town.phone(orgs.size * 37) })
    }
    return orgs.get(key)!
  }
  const venue = (orgId: string, orgKey: string, venueKey: string) => {
    const v = venuePlaces.get(venueKey)!
    const id = nameId(`demo:venue:${orgKey}:${venueKey}`)
    if (!out.venues.some((x) => x.id === id)) {
      out.venues.push({ id, organisation_id: orgId, name: v.name, line1: v.street, town: town.town, postcode: v.place.postcode,
        lat: v.place.lat, lon: v.place.lon, accessibility: v.accessibility, source_id: `demo:venue:${orgKey}:${venueKey}` })
    }
    return id
  }
  const umbrellaId = org(town.umbrella.name, town.umbrella.description)
  const names = new Set<string>()
  const make = (a: Archetype, i: number, forced?: Featured) => {
    const r = new Random(`scheme:${town.key}:${i}:${a.key}`)
    let name = forced?.name ?? r.pick(a.names).replace('{area}', r.pick(town.areas))
    if (names.has(name)) name = `${name} (${town.areas[i % town.areas.length]})`
    names.add(name)
    const umbrella = !forced && i % 3 === 0
    const orgName = umbrella ? town.umbrella.name : name
    const orgId = umbrella ? umbrellaId : org(name)
    const orgKey = `${town.key}:${slug(orgName)}`
    const kinds = town.venues.filter((v) => a.venues.includes(v.kind))
    const choices = kinds.length ? kinds : town.venues
    const venueKeys = forced ? [forced.venue] : r.some(choices, r.weighted([[1, 80], [2, 17], [3, 3]] as const)).map((v) => v.key)
    const venueIds = venueKeys.map((k) => venue(orgId, orgKey, k))
    const status = forced ? 'active' : i % 11 === 7 ? 'paused' : i % 13 === 9 ? 'ended' : 'active'
    const hybrid = !forced && ['peer', 'reading', 'writing', 'carers', 'welcome', 'digital'].includes(a.key) && r.chance(0.4)
    const id = nameId(`demo:scheme:${town.key}:${slug(name)}`)
    const extraLanguage = !a.languages && r.chance(town.key === 'swansea' ? 0.4 : 0.2) ? [r.pick(town.languages)] : []
    const accessibility = new Set([...(a.accessibility ?? []), ...(forced?.accessibility ?? [])])
    if (r.chance(0.15)) accessibility.add(r.pick(['large_print', 'easy_read']))
    if (r.chance(0.1)) accessibility.add('carer_free')
    const cost = forced ? { cost_free: true } : composeCost(r, a)
    out.schemes.push({
      id, organisation_id: orgId, name, description: a.description, categories: a.categories, needs: a.needs, audience: a.audience,
      delivery: hybrid ? ['in_person', 'online'] : ['in_person'], ...cost,
      min_age: a.min_age, max_age: a.max_age, self_referral: a.self_referral, accepting_referrals: status === 'active' && r.chance(0.95),
      group_size: a.group_size, languages: a.languages ?? ['en', ...extraLanguage], contact_phone: town.phone(100 + i * 7),
      contact_email: r.chance(0.6) ? `${slug(name)}@${slug(orgName)}.example` : undefined,
      accessibility: [...accessibility], service_area: hybrid ? radiusArea(centre.lat, centre.lon, 10000) : undefined, status,
      source_id: `demo:scheme:${town.key}:${slug(name)}`, verified_days_ago: !forced && r.chance(0.12) ? r.int(190, 480) : r.int(0, 150),
      breaks: forced ? undefined : composeBreaks(id, today),
    })
    out.sessions.push(...composeSessions(r, a, id,
      { venueIds, remote: hybrid, today, ended: status === 'ended', first: forced && { slot: forced.slot, frequency: forced.frequency } }))
  }
  if (town.key === 'peckham') {
    for (const [i, f] of PECKHAM_EVENINGS.entries()) make(ARCHETYPES.find((a) => a.key === f.archetype)!, 100 + i, f)
  }
  for (const [i, a] of rng.some(ARCHETYPES, ARCHETYPES.length).slice(0, town.groups).entries()) make(a, i)
  if (town.key === 'peckham') {
    for (const [i, f] of PECKHAM_ACCESS.entries()) make(ARCHETYPES.find((a) => a.key === f.archetype)!, 200 + i, f)
    // a hall the choir registered and no longer uses (the OpenAPI's example of a venue that may be deleted)
    const place = places.inSector(new Random('venue:peckham:old-hall'), town.sectors[0])
    const orgId = nameId(`demo:org:${DEMO_CHOIR.key}`)
    out.venues.push({ id: DEMO_EXAMPLES.spareVenueId, organisation_id: orgId, name: 'Old Church Hall (no longer used)', line1: 'Choumert Road',
      town: town.town, postcode: place.postcode, lat: place.lat, lon: place.lon, accessibility: [], source_id: `demo:venue:${DEMO_CHOIR.key}:old-hall` })
  }
  return { ...out, centre, umbrellaId }
}

function remoteSchemes(data: DemoData, centres: Map<string, Place>, umbrellas: Map<string, string>, today: string) {
  for (const [i, s] of REMOTE.entries()) {
    let orgId = umbrellas.get(s.organisation)
    if (!orgId) {
      orgId = nameId(`demo:org:remote:${s.key}`)
      const web = slug(s.organisation)
      data.organisations.push({ id: orgId, name: s.organisation,
        source_id: `demo:org:remote:${s.key}`, website: `https://${web}.example`, email: `hello@${web}.example` })
    }
    const id = nameId(`demo:scheme:remote:${s.key}`)
    const a = s.area
    const c = 'near' in a ? centres.get(a.near)! : undefined
    const area = 'near' in a ? (a.kind === 'radius' ? radiusArea(c!.lat, c!.lon, a.km * 1000) : polygonArea(c!.lat, c!.lon, a.km)) : a
    data.schemes.push({
      id, organisation_id: orgId, name: s.name, description: s.description, categories: s.categories, needs: s.needs, audience: s.audience,
      delivery: s.delivery, cost_free: true, min_age: s.min_age, self_referral: s.self_referral ?? true, accepting_referrals: s.status !== 'paused',
      group_size: s.group_size, languages: s.languages ?? ['en'], contact_phone: s.phone, contact_website: `https://${slug(s.organisation)}.example/${s.key}`,
      contact_text: s.text, always_open: s.always_open, by_arrangement: s.by_arrangement,
      accessibility: s.accessibility ?? [], service_area: area, status: s.status ?? 'active', source_id: `demo:scheme:remote:${s.key}`,
      verified_days_ago: s.stale ? 240 : 10 + i * 9,
    })
    for (const [position, x] of s.sessions.entries()) {
      data.sessions.push({
        scheme_id: id, position, venue_id: null, frequency: x.frequency, days: x.frequency === 'once' ? [] : x.days, starts: x.starts, ends: x.ends,
        week_of_month: x.week_of_month, date: x.frequency === 'once' ? addDays(today, x.in_days ?? 14) : undefined,
        valid_from: x.frequency === 'fortnightly' ? addDays(today, -63) : undefined, except_dates: [],
      })
    }
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
