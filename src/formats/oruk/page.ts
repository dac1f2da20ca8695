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

/** `size` is the number of entities on this page, as ORUK describes it; a page past the last is empty. */
export function page<T>(contents: T[], total: number, pageNumber: number, perPage: number): OrukPage<T> {
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

export const offsetOf = (pageNumber: number, perPage: number) => (pageNumber - 1) * perPage
