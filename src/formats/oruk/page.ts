/** The ORUK page envelope (Spring's Page, in HSDS's words). */
export interface OrukPage<T> {
  total_items: number
  total_pages: number
  page_number: number
  size: number
  first_page: boolean
  last_page: boolean
  empty: boolean
  contents: T[]
}

export const DEFAULT_PER_PAGE = 50

export interface Paging { pageNumber: number; perPage: number; offset: number }

/** The page a request asks for: page and per_page are optional (from 1, DEFAULT_PER_PAGE a page). */
export function pagingOf(q: { page?: number; per_page?: number }): Paging {
  const pageNumber = q.page ?? 1
  const perPage = q.per_page ?? DEFAULT_PER_PAGE
  return { pageNumber, perPage, offset: (pageNumber - 1) * perPage }
}

/** `size` is the number of entities on this page, as ORUK describes it; a page past the last is empty. */
export function page<T>(contents: T[], total: number, { pageNumber, perPage }: Paging): OrukPage<T> {
  const totalPages = Math.ceil(total / perPage)
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: contents.length === 0,
    contents,
  }
}

/** One page of a list held whole in memory (the taxonomies and their terms). */
export function pageOfList<T>(all: T[], p: Paging): OrukPage<T> {
  return page(all.slice(p.offset, p.offset + p.perPage), all.length, p)
}
