/**
 * An API rate limit in virtual time: at most `burst` calls in any window of `burst /
 * refillPerSecond` seconds (the average rate and burst of a token bucket), decided from the
 * calls' own virtual times.
 *
 * Why not a plain token bucket: the local runtime gives each Distributed Map child its own
 * virtual clock, so calls from two children of one account arrive out of virtual-time order (one
 * child may be 5 minutes ahead of the other). A bucket refilled "since the last call" would then
 * never refill for the child behind and throttle it forever. A sorted record of admitted calls
 * answers "how many calls in the window around t" whatever order they arrive in.
 */
export interface RateLimit {
  /** Calls allowed at once (the burst). */
  readonly burst: number;
  /** Average calls per second. */
  readonly refillPerSecond: number;
}

export class TokenBucket {
  /** Admitted call times (ms), sorted. */
  private readonly admitted: number[] = [];
  private readonly windowMs: number;

  constructor(private readonly limit: RateLimit, _nowMs: number) {
    this.windowMs = (1000 * limit.burst) / limit.refillPerSecond;
  }

  /** Admits a call at `nowMs`, or says it is throttled: the windows ending and starting at `nowMs` are full. */
  take(nowMs: number): boolean {
    const at = this.insertionPoint(nowMs);
    const before = at - this.insertionPoint(nowMs - this.windowMs + 1);
    const after = this.insertionPoint(nowMs + this.windowMs) - at;
    if (before >= this.limit.burst || after >= this.limit.burst) return false;
    this.admitted.splice(at, 0, nowMs);
    return true;
  }

  /** The index of the first admitted time >= ms (binary search). */
  private insertionPoint(ms: number): number {
    let lo = 0;
    let hi = this.admitted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.admitted[mid] < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
