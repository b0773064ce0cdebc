/** Time, injectable so tests do not wait. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * At most `perSecond` calls of `take()` return per second, evenly spaced: a redrive of
 * thousands of messages must not throttle a tenant's bus or its functions (and a burst into
 * one account's concurrency is what the redrive is recovering from).
 */
export class RateLimiter {
  private next = 0;
  private readonly intervalMs: number;

  constructor(perSecond: number, private readonly clock: Clock = SYSTEM_CLOCK) {
    this.intervalMs = 1000 / perSecond;
  }

  /**
   * Waits for the next slot. A long wait is cut into slices of at most `sliceMs`, with
   * `between()` after each: a redrive at a slow rate keeps its held messages hidden meanwhile.
   */
  public async take(between?: { readonly sliceMs: number; run(): Promise<void> }): Promise<void> {
    const now = this.clock.now();
    let wait = this.next - now;
    while (wait > 0) {
      const slice = between ? Math.min(wait, between.sliceMs) : wait;
      await this.clock.sleep(slice);
      wait -= slice;
      if (between && wait > 0) await between.run();
    }
    this.next = Math.max(now, this.next) + this.intervalMs;
  }
}
