import { ServiceUnavailableError } from '../errors.ts'

/**
 * A whole-directory computation (coverage: docs/insights.md) keeps the database busy for
 * seconds. A gate lets `running` of them run at once in this process and `waiting` more wait
 * their turn, first come first served; past that a caller gets 503 with Retry-After, rather
 * than a queue that grows without bound while anybody can ask for a new filter set.
 */
export class Gate {
  private active = 0
  private queue: Array<() => void> = []

  constructor(readonly running: number, readonly waiting: number, private busy: () => Error) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.running) this.active++
    else if (this.queue.length < this.waiting) await new Promise<void>((resolve) => this.queue.push(resolve))
    else throw this.busy()
    try {
      return await fn()
    } finally {
      // the slot passes straight to the next in line, or is given back
      const next = this.queue.shift()
      if (next) next()
      else this.active--
    }
  }
}

/** Coverage's gate: one computation at a time per process, eight more waiting. */
export const coverageGate = () => new Gate(1, 8, () =>
  new ServiceUnavailableError('Coverage figures for other filters are being computed just now. Please try again shortly.', 10))
