/**
 * The RPDE 1.0 page (https://openactive.io/realtime-paged-data-exchange/), "incrementing
 * unique change number" ordering: items in change order, `modified` = the change number,
 * `next` = this feed after the last item; the last page is empty and points at itself.
 */

/**
 * max-age of a page with items (asking again only finds an item gone, moved on by a later
 * change, which `next` reaches anyway) and of the last page, which the next change fills.
 */
export const FULL_PAGE_MAX_AGE_S = 3600
export const LAST_PAGE_MAX_AGE_S = 8

/** A change number as a query value: 0 or a positive whole number of at most 18 digits (below 2^63), no sign, padding or exponent. */
export const CHANGE_NUMBER_PATTERN = '^(0|[1-9][0-9]{0,17})$'

export interface RpdeItem<T> {
  state: 'updated' | 'deleted'
  kind: string
  id: string
  modified: number
  data?: T
}

export interface RpdePage<T> {
  next: string
  items: Array<RpdeItem<T>>
  license: string
}

export interface Changed<T> {
  id: string
  change_number: string
  deleted: boolean
  data?: T
}

/**
 * The page for `rows` read after the request's afterChangeNumber, at `self` (the absolute URL
 * asked for), with its Cache-Control value.
 */
export function rpdePage<T>(self: URL, kind: string, rows: Array<Changed<T>>, license: string):
  { page: RpdePage<T>; cacheControl: string } {
  const items = rows.map((r): RpdeItem<T> => r.deleted
    ? { state: 'deleted', kind, id: r.id, modified: Number(r.change_number) }
    : { state: 'updated', kind, id: r.id, modified: Number(r.change_number), data: r.data })
  const next = new URL(self)
  if (rows.length > 0) next.searchParams.set('afterChangeNumber', rows[rows.length - 1].change_number)
  return {
    page: { next: next.toString(), items, license },
    cacheControl: `public, max-age=${rows.length > 0 ? FULL_PAGE_MAX_AGE_S : LAST_PAGE_MAX_AGE_S}`,
  }
}
