import type { FastifyInstance } from 'fastify'
import { orukValidators } from './oruk-ajv.ts'
import { VOCABULARIES } from '../../../src/domain/vocabularies.ts'

// The published taxonomies and their terms, counted from the vocabularies the feed publishes.
const TAXONOMIES = ['categories', 'needs', 'audience', 'accessibility', 'delivery', 'group_size', 'referral_methods', 'referral_from'] as const
const TERMS = TAXONOMIES.reduce((n, v) => n + Object.keys(VOCABULARIES[v]).length, 0)

const V = orukValidators()

/** Every path in `body` whose value is null: ORUK optional fields must be left out instead. */
export function nulls(body: unknown, path = ''): string[] {
  if (body === null) return [path || '/']
  if (Array.isArray(body)) return body.flatMap((x, i) => nulls(x, `${path}/${i}`))
  if (typeof body === 'object') return Object.entries(body as object).flatMap(([k, x]) => nulls(x, `${path}/${k}`))
  return []
}

export interface WalkTotals { services: number; sals: number; perPage?: number }

/**
 * The feed walked as the ORUK validator walks it: the root, every list at its first, a middle
 * and its last page (and one past it), then up to 10 records by id from each list. Every body
 * is checked with Ajv against ORUK's own schemas; the envelope must add up; walking every page
 * must return each record once. Returns the number of requests made.
 */
export async function walkFeed(t: any, app: FastifyInstance, totals: WalkTotals): Promise<number> {
  let requests = 0
  const get = async (url: string) => {
    const r = await app.inject(url)
    requests++
    t.equal(r.statusCode, 200, url)
    t.equal(r.headers['access-control-allow-origin'], '*', `${url}: open to every origin`)
    const body = r.json()
    t.same(nulls(body), [], `${url}: no nulls`)
    return body
  }
  const check = (errors: string[], what: string) => t.same(errors, [], `${what} is valid ORUK`)

  const root = await get('/oruk/')
  check(V.apiInfo(root), '/')
  t.equal(root.version, 'HSDS-UK-3.0')

  const lists = [
    { path: '/oruk/services', perPage: totals.perPage ?? 3, page: V.servicePage, item: V.service, total: totals.services },
    { path: '/oruk/service_at_locations', perPage: totals.perPage ?? 3, page: V.salPage, item: V.sal, total: totals.sals },
    { path: '/oruk/taxonomies', perPage: 4, page: V.taxonomyPage, item: V.taxonomy, total: TAXONOMIES.length },
    { path: '/oruk/taxonomy_terms', perPage: 10, page: V.termPage, item: V.term, total: TERMS },
  ]
  for (const l of lists) {
    const pages = Math.ceil(l.total / l.perPage)
    const sizeOf = (n: number) => Math.max(0, Math.min(l.perPage, l.total - (n - 1) * l.perPage))
    const ids = new Set<string>()
    for (const n of [...new Set([1, Math.max(1, Math.ceil(pages / 2)), Math.max(1, pages)])]) {
      const body = await get(`${l.path}?page=${n}&per_page=${l.perPage}`)
      check(l.page(body), `${l.path} page ${n}`)
      t.match(body, { total_items: l.total, total_pages: pages, page_number: n, size: sizeOf(n), first_page: n === 1, last_page: n >= pages, empty: sizeOf(n) === 0 }, `${l.path} page ${n} envelope`)
      t.equal(body.contents.length, sizeOf(n))
      for (const x of body.contents) ids.add(x.id)
    }
    const all: string[] = []
    for (let n = 1; n <= pages; n++) all.push(...(await app.inject(`${l.path}?page=${n}&per_page=${l.perPage}`)).json().contents.map((x: any) => x.id))
    t.equal(all.length, l.total, `${l.path}: the pages hold every record`)
    t.equal(new Set(all).size, l.total, `${l.path}: none twice`)
    const past = await get(`${l.path}?page=${pages + 1}&per_page=${l.perPage}`)
    check(l.page(past), `${l.path} past the last page`)
    t.match(past, { total_items: l.total, page_number: pages + 1, size: 0, first_page: pages + 1 === 1, last_page: true, empty: true, contents: [] })
    for (const id of [...ids].slice(0, 10)) check(l.item(await get(`${l.path}/${id}`)), `${l.path}/${id}`)
  }
  return requests
}
