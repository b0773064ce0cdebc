/**
 * A token bucket in virtual time, refilled lazily when asked (no timers): the model of an AWS
 * API rate limit. `take(nowMs)` spends a token or says the call is throttled.
 */
export interface RateLimit {
  /** Tokens the bucket holds when full (the burst). */
  readonly burst: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly limit: RateLimit, nowMs: number) {
    this.tokens = limit.burst;
    this.updatedAt = nowMs;
  }

  /** Spends one token at `nowMs`; false when the bucket is empty (the call is throttled). */
  take(nowMs: number): boolean {
    if (nowMs > this.updatedAt) {
      this.tokens = Math.min(this.limit.burst, this.tokens + ((nowMs - this.updatedAt) / 1000) * this.limit.refillPerSecond);
      this.updatedAt = nowMs;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
