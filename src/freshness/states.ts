/** A scheme is stale (its document says so, and a due list calls it overdue) this many days after it was last confirmed. */
export const STALE_DAYS = 180
