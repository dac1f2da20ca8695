import { textProblems } from './text-rules.ts'
import type { ErrorObject } from 'ajv'
import type { ProblemItem } from '../errors.ts'
import { documentValidator, validationItems, type ShapeVerdict } from './validate.ts'
import { DATE_RANGE, TIME_PATTERN } from '../schemas/scheme.ts'
import { NOT_BLANK } from '../schemas/common.ts'
import { isValidFullPostcode } from '../geo/postcodes.ts'
import { REMOTE_DELIVERY, VOCABULARIES } from './vocabularies.ts'
import { isCurrent, type SessionRule } from './schedule.ts'
import { clockTime, LATEST_NEXT_MORNING_END, validSpan } from './calendar.ts'
import { escapePointer as escape, isUuid } from './ids.ts'
import { serviceAreaProblems } from './service-area.ts'

export { geometryProblems, geometrySizeProblems, isWellFormedGeometry, serviceAreaProblems, SERVICE_AREA_LIMITS } from './service-area.ts'

/**
 * The write rules of SPEC §2 and §4 that a JSON Schema cannot say, and the one place
 * that turns Ajv's messages into plain ones. Every function here takes whatever the
 * client sent (it may be the wrong shape: the checks look before they compare) and
 * returns every problem it finds, each with a JSON Pointer, so that one 400 names them all.
 */

const MAX_PROBLEMS = 100
type Doc = Record<string, any>
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)
const has = (o: Doc, k: string) => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined

// ---- shape (Ajv), with messages a charity's volunteer can act on ----

const FORMAT: Record<string, string> = {
  date: 'must be a date, YYYY-MM-DD',
  uuid: 'must be a UUID',
  email: 'must be an e-mail address',
  uri: 'must be a URL such as https://example.org.uk',
  'date-time': 'must be an RFC 3339 timestamp',
}
const PATTERN: Record<string, string> = {
  [TIME_PATTERN]: 'must be a time HH:MM, 24-hour (00:00 to 23:59)',
  [NOT_BLANK]: 'must not be blank (white space or invisible characters only)',
  '^https?://': 'must be an http:// or https:// URL',
  '^([a-z]{2}|bsl)$': 'must be an ISO 639-1 language code (two lower-case letters, e.g. en, cy, pl) or bsl',
}

function plain(e: ErrorObject): ErrorObject {
  const p = e.params as Record<string, any>
  let message = e.message
  switch (e.keyword) {
    case 'format': message = FORMAT[p.format] ?? message; break
    case 'pattern': message = PATTERN[p.pattern] ?? message; break
    case 'maxLength': message = `must be at most ${p.limit} characters`; break
    case 'minLength': message = p.limit === 1 ? 'must not be empty' : `must be at least ${p.limit} characters`; break
    case 'uniqueItems': message = 'must not list the same value twice'; break
    case 'required': message = 'is required'; break
    case 'minimum': case 'maximum': message = `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${p.limit}`; break
    case 'maxItems': message = `must list at most ${p.limit}`; break
    case 'minItems': message = p.limit === 1 ? 'must list at least one' : `must list at least ${p.limit}`; break
  }
  return { ...e, message }
}

/**
 * Checks `doc` against a registered write schema ($id). `readOnly` names fields the server
 * sets: sent anyway, they are reported as read-only rather than as unknown. `checked` is the
 * verdict of a route that already ran this schema's validator on `doc`.
 */
export function shapeProblems(schemaId: string, doc: unknown, readOnly: readonly string[] = [], checked?: ShapeVerdict): ProblemItem[] {
  if (checked) return ajvProblems(checked.errors, readOnly)
  const validate = documentValidator(schemaId)
  if (validate(doc)) return []
  return ajvProblems(validate.errors ?? [], readOnly)
}

/** Ajv errors of a body → problem items with plain messages. */
export function ajvProblems(errors: readonly ErrorObject[], readOnly: readonly string[] = []): ProblemItem[] {
  const items = validationItems(errors.map(plain) as any, 'body')
  // a read-only field is named by its path: 'id', or 'capacity/updated_at' inside a field
  for (const item of items) {
    if (item.message === 'unknown field' && readOnly.some((r) => pointerMatches(r, item.pointer ?? ''))) item.message = 'is read-only: the server sets it'
  }
  // '' fails both minLength and the not-blank pattern: one message is enough
  const empty = new Set(items.filter((i) => i.message === 'must not be empty').map((i) => i.pointer))
  return items.filter((i) => !(i.message === PATTERN[NOT_BLANK] && empty.has(i.pointer))).slice(0, MAX_PROBLEMS)
}

/** A read-only field's path ('version', 'sessions/*\/summary': * is any one segment) names this pointer. */
function pointerMatches(path: string, pointer: string): boolean {
  const want = path.split('/')
  const got = pointer.split('/').slice(1)
  return want.length === got.length && want.every((w, i) => w === '*' || w === got[i])
}

/**
 * Every string that breaks the text rules (NUL, lone surrogates; src/domain/text-rules.ts).
 * Bodies are already checked as they are parsed; imports come through here.
 */
export function nulProblems(doc: unknown, pointer = ''): ProblemItem[] {
  return textProblems(doc, pointer, MAX_PROBLEMS)
}

/** Problems sorted by pointer, duplicates dropped, at most MAX_PROBLEMS. */
export function mergeProblems(...lists: ProblemItem[][]): ProblemItem[] {
  const seen = new Set<string>()
  const out: ProblemItem[] = []
  for (const item of lists.flat()) {
    const key = `${item.pointer}\u0001${item.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(item)
  }
  return out.slice(0, MAX_PROBLEMS)
}

// ---- formats the schemas cannot express ----

const PHONE_MESSAGE = 'must be a UK phone number, e.g. 020 7946 0958, +44 20 7946 0958, 0800 123 4567 or 116 123'

/** A UK number: 0 and 9–10 digits, or +44 / 0044 in place of the 0, or a service short number (111, 999, 116 123, 118 xxx). */
export function isUkPhone(input: string): boolean {
  if (!/^[0-9 ()+-]+$/.test(input)) return false
  let digits = input.replace(/\(0\)/, '').replace(/[ ()-]/g, '')
  if (digits.startsWith('+44')) digits = '0' + digits.slice(3)
  else if (digits.startsWith('0044')) digits = '0' + digits.slice(4)
  return /^0[1-9][0-9]{8,9}$/.test(digits) || /^(999|112|111|101|105|119|11[68][0-9]{3})$/.test(digits)
}

export function phoneProblems(doc: unknown, field: string, pointer: string): ProblemItem[] {
  if (!isObject(doc) || typeof doc[field] !== 'string' || isUkPhone(doc[field])) return []
  return [{ pointer, message: PHONE_MESSAGE }]
}

export function organisationRuleProblems(doc: unknown): ProblemItem[] {
  return phoneProblems(doc, 'phone', '/phone')
}

export function venueRuleProblems(doc: unknown): ProblemItem[] {
  if (!isObject(doc) || !isObject(doc.address) || typeof doc.address.postcode !== 'string') return []
  if (isValidFullPostcode(doc.address.postcode)) return []
  return [{ pointer: '/address/postcode', message: 'must be a full UK postcode, e.g. SE15 4AA' }]
}

// ---- schemes ----

const REMOTE: readonly string[] = REMOTE_DELIVERY
/** "online, telephone, home_visit or text_chat", for messages. */
const REMOTE_NAMES = `${REMOTE.slice(0, -1).join(', ')} or ${REMOTE[REMOTE.length - 1]}`
const DATE = /^\d{4}-\d{2}-\d{2}$/
const TIME = new RegExp(TIME_PATTERN)

/** The cross-field rules of SPEC §2 for a whole scheme document (POST, PUT, or a PATCH once merged). */
export function schemeRuleProblems(doc: unknown): ProblemItem[] {
  if (!isObject(doc)) return []
  const out: ProblemItem[] = []
  const push = (pointer: string, message: string) => out.push({ pointer, message })
  const delivery: string[] = Array.isArray(doc.delivery) ? doc.delivery.filter((d: unknown) => typeof d === 'string') : ['in_person']

  const cost = doc.cost
  if (isObject(cost) && cost.free === true) {
    if (has(cost, 'amount_pence')) push('/cost/amount_pence', 'must be absent when free is true')
    if (has(cost, 'per')) push('/cost/per', 'must be absent when free is true')
  }
  if (Number.isInteger(doc.min_age) && Number.isInteger(doc.max_age) && doc.min_age > doc.max_age) {
    push('/max_age', 'must be at least min_age')
  }
  out.push(...phoneProblems(doc.contact, 'phone', '/contact/phone'), ...phoneProblems(doc.contact, 'text', '/contact/text'))
  if (isObject(doc.contact) && !['phone', 'email', 'website', 'text'].some((k) => has(doc.contact, k))) {
    push('/contact', 'must give at least one way to get in touch or refer: phone, email, website or text')
  }
  if (isObject(doc.referral)) out.push(...referralProblems(doc.referral, doc.self_referral === true))
  if (isObject(doc.capacity)) out.push(...capacityProblems(doc.capacity, '/capacity'))

  const remote = delivery.filter((d) => REMOTE.includes(d))
  for (const flag of ['always_open', 'by_arrangement']) {
    if (doc[flag] === true && remote.length === 0) {
      push(`/${flag}`, `is for a scheme delivered remotely (${REMOTE_NAMES}): its remote modes need no sessions; give in-person times as sessions`)
    }
  }
  if (remote.length > 0 && !has(doc, 'service_area')) {
    push('/service_area', `is required when delivery includes ${remote.join(', ')}: say where the scheme serves ({"type": "national"} for all of the UK)`)
  }
  if (isObject(doc.service_area)) out.push(...serviceAreaProblems(doc.service_area))

  if (Array.isArray(doc.sessions)) {
    doc.sessions.forEach((s: unknown, i: number) => out.push(...sessionProblems(s, `/sessions/${i}`, delivery)))
  }
  if (Array.isArray(doc.breaks)) doc.breaks.forEach((b: unknown, i: number) => out.push(...breakProblems(b, `/breaks/${i}`)))
  return out
}

/** A break's dates: each in DATE_RANGE (their shape and reality, 2027-02-30, are the schema's), and to on or after from. */
export function breakProblems(b: unknown, at: string): ProblemItem[] {
  if (!isObject(b)) return []
  const out: ProblemItem[] = []
  for (const field of ['from', 'to']) if (outOfRange(b[field])) out.push({ pointer: `${at}/${field}`, message: DATE_RANGE_MESSAGE })
  if (typeof b.from === 'string' && typeof b.to === 'string' && DATE.test(b.from) && DATE.test(b.to) && b.to < b.from) {
    out.push({ pointer: `${at}/to`, message: 'must be on or after from (a break\'s dates are both included)' })
  }
  return out
}

/** What each referral method needs beside it (issue 13): where the form is, where to e-mail, whom to ring. */
const METHOD_NEEDS: Record<string, [field: string, what: string]> = {
  form: ['url', 'the address of the referral form'],
  email: ['email', 'the address to send referrals to'],
  phone: ['phone', 'the number to ring'],
}

/**
 * A scheme's referral (issue 13). Each method that needs a detail has it; the phone is a UK
 * number like the contact's; and the referral agrees with self_referral: `self` is among
 * accepted_from exactly when self_referral is true, so that search and the document never
 * say two things (docs/writing.md, "How to refer, and whether there is room").
 */
export function referralProblems(r: Doc, selfReferral: boolean): ProblemItem[] {
  const out: ProblemItem[] = []
  const methods: unknown[] = Array.isArray(r.methods) ? r.methods : []
  for (const [method, [field, what]] of Object.entries(METHOD_NEEDS)) {
    if (methods.includes(method) && !has(r, field)) out.push({ pointer: `/referral/${field}`, message: `is required when methods include ${method}: ${what}` })
  }
  out.push(...phoneProblems(r, 'phone', '/referral/phone'))
  if (Array.isArray(r.accepted_from)) {
    const self = r.accepted_from.includes('self')
    if (methods.includes('self') && !self) {
      out.push({ pointer: '/referral/accepted_from', message: 'must include self when methods include self (the person gets in touch themselves)' })
    } else if (self && !selfReferral) {
      out.push({ pointer: '/referral/accepted_from', message: 'includes self, but self_referral is not true: set self_referral to true, or leave self out' })
    } else if (!self && selfReferral) {
      out.push({ pointer: '/referral/accepted_from', message: 'must include self: self_referral is true (or set self_referral to false)' })
    }
  }
  return out
}

/**
 * A capacity (issue 13), at `at` ('/capacity' in a scheme, '' as the body of
 * PUT /v1/schemes/{id}/capacity): places only with places available, and then at least one;
 * waiting_weeks only with a waiting list.
 */
export function capacityProblems(c: unknown, at: string): ProblemItem[] {
  if (!isObject(c)) return []
  const out: ProblemItem[] = []
  const status = c.status
  // an unknown status is the shape check's to name; the figures are judged against a known one
  if (typeof status === 'string' && Object.hasOwn(VOCABULARIES.capacity_status, status)) {
    if (has(c, 'places') && status !== 'places_available') {
      out.push({ pointer: `${at}/places`, message: `is only for places_available: leave it out when the status is ${status}` })
    } else if (c.places === 0) {
      out.push({ pointer: `${at}/places`, message: 'must be at least 1 with places_available: with no places left, the status is full or waiting_list' })
    }
    if (has(c, 'waiting_weeks') && status !== 'waiting_list') {
      out.push({ pointer: `${at}/waiting_weeks`, message: `is only for waiting_list: leave it out when the status is ${status}` })
    }
  }
  return out
}

const RECURRING = new Set(['weekly', 'fortnightly', 'monthly'])
const DATE_RANGE_MESSAGE = `must be a date from ${DATE_RANGE.min} to ${DATE_RANGE.max}`
/** A date the format accepts but PostgreSQL's date type might not (DATE_RANGE). */
const outOfRange = (d: unknown) => typeof d === 'string' && DATE.test(d) && (d < DATE_RANGE.min || d > DATE_RANGE.max)

export function sessionProblems(s: unknown, at: string, delivery: string[]): ProblemItem[] {
  if (!isObject(s)) return []
  const out: ProblemItem[] = []
  const push = (field: string, message: string) => out.push({ pointer: `${at}/${field}`, message })
  const f = s.frequency

  if (RECURRING.has(f)) {
    if (!has(s, 'days')) push('days', `is required for a ${f} session: list the weekdays it runs on`)
    else if (Array.isArray(s.days) && s.days.length === 0) push('days', 'must list at least one weekday')
  }
  if (f === 'once' && has(s, 'days')) push('days', 'must be absent for a once session: it runs on its date')
  if (f === 'monthly' && !has(s, 'week_of_month')) push('week_of_month', 'is required for a monthly session: 1 to 5, or -1 for the last')
  if (typeof f === 'string' && f !== 'monthly' && has(s, 'week_of_month')) push('week_of_month', 'is only for monthly sessions')
  if (f === 'once' && !has(s, 'date')) push('date', 'is required for a once session')
  if (typeof f === 'string' && f !== 'once' && has(s, 'date')) push('date', 'is only for once sessions')
  if (f === 'fortnightly' && !has(s, 'valid_from')) push('valid_from', 'is required for a fortnightly session: its week is the first of the fortnights')

  if (typeof s.starts === 'string' && typeof s.ends === 'string' && TIME.test(s.starts) && TIME.test(s.ends) && !validSpan(s.starts, s.ends)) {
    push('ends', s.ends === s.starts
      ? 'must differ from starts'
      : `must be after starts, or at or before ${clockTime(LATEST_NEXT_MORNING_END)} for a session that runs past midnight into the next morning`)
  }
  for (const field of ['date', 'valid_from', 'valid_to']) if (outOfRange(s[field])) push(field, DATE_RANGE_MESSAGE)
  if (Array.isArray(s.except_dates)) s.except_dates.forEach((d: unknown, i: number) => { if (outOfRange(d)) push(`except_dates/${i}`, DATE_RANGE_MESSAGE) })
  if (typeof s.valid_from === 'string' && typeof s.valid_to === 'string' && DATE.test(s.valid_from) && DATE.test(s.valid_to) && s.valid_to < s.valid_from) {
    push('valid_to', 'must be on or after valid_from')
  }

  const venue = has(s, 'venue_id') ? s.venue_id : null
  if (typeof venue === 'string' && !delivery.includes('in_person')) {
    push('venue_id', 'is a venue, so delivery must include in_person (or make this a remote session: venue_id null)')
  }
  if (venue === null && !delivery.some((d) => REMOTE.includes(d))) {
    push('venue_id', `is null, a remote session, so delivery must include ${REMOTE_NAMES} (or give the venue)`)
  }
  return out
}

/** Remote sessions and in-person sessions are told apart by venue_id; the venues a document names. */
export function sessionVenueIds(doc: unknown): Array<{ index: number; venueId: string; current: (today: string) => boolean }> {
  if (!isObject(doc) || !Array.isArray(doc.sessions)) return []
  const out: Array<{ index: number; venueId: string; current: (today: string) => boolean }> = []
  doc.sessions.forEach((s: unknown, index: number) => {
    if (!isObject(s) || !isUuid(s.venue_id)) return
    out.push({ index, venueId: s.venue_id.toLowerCase(), current: (today) => isCurrent(s as unknown as SessionRule, today) })
  })
  return out
}
