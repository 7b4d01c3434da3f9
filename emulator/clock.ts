/**
 * Time for the emulators. Everything that takes time (associations, package imports, domain changes)
 * records when it ends and is compared with the clock when asked, so no timer runs.
 */

/** Source of time in milliseconds. The models read it on every call instead of scheduling timers. */
export interface Clock {
  now(): number;
}

/** A clock that only moves when told to: makes waits instantaneous and tests reproducible. */
export class ManualClock implements Clock {
  private current: number;

  /** @param start epoch milliseconds; default 2025-01-01T00:00:00Z so that timestamps look realistic. */
  constructor(start: number = Date.UTC(2025, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) {
      throw new RangeError(`A clock cannot go back (advance(${ms}))`);
    }
    this.current += ms;
  }
}
