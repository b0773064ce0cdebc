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

  public async take(): Promise<void> {
    const now = this.clock.now();
    if (this.next > now) await this.clock.sleep(this.next - now);
    this.next = Math.max(now, this.next) + this.intervalMs;
  }
}
