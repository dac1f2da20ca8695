/**
 * Small-number suppression for published counts, as NHS England's statistical practice does
 * it: a count of 1 to 7 is not shown (null, suppressed), every other count is rounded to the
 * nearest 5 (0 stays 0), so that no figure can single out a handful of people. Then secondary
 * suppression: where shown parts add up to a shown total, one suppressed part alone could be
 * worked out by subtraction, so the smallest other part is suppressed with it.
 */

export const SUPPRESS_MIN = 1
export const SUPPRESS_MAX = 7
export const ROUND_TO = 5

export interface Cell {
  /** the count rounded to the nearest 5, or null when suppressed */
  value: number | null
  suppressed: boolean
}

/** One count as published: 0 → 0; 1–7 → suppressed; others → nearest 5 (halves up: 12.5 cannot occur). */
export function publish(n: number): Cell {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`a count must be a whole number from 0: ${n}`)
  if (n >= SUPPRESS_MIN && n <= SUPPRESS_MAX) return { value: null, suppressed: true }
  return { value: Math.round(n / ROUND_TO) * ROUND_TO, suppressed: false }
}

const hidden: Cell = { value: null, suppressed: true }

/**
 * Parts that add up to a total, as published. Each is published alone; then, while exactly one
 * part is suppressed and the total is shown, the smallest part still shown that is not 0 is
 * suppressed too (a 0 reveals nothing: the suppressed cell is still 1–7 or more). When no
 * such part is left, the total is suppressed instead.
 */
export function publishParts(parts: number[], total = parts.reduce((a, b) => a + b, 0)): { total: Cell; parts: Cell[] } {
  const cells = parts.map(publish)
  let sum = publish(total)
  const suppressedCount = () => cells.filter((c) => c.suppressed).length
  if (!sum.suppressed && suppressedCount() === 1) {
    let pick = -1
    for (let i = 0; i < parts.length; i++) {
      if (cells[i].suppressed || parts[i] === 0) continue
      if (pick < 0 || parts[i] < parts[pick]) pick = i
    }
    if (pick >= 0) cells[pick] = hidden
    else sum = hidden
  }
  return { total: sum, parts: cells }
}
