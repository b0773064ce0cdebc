/**
 * Step Functions' own quotas, in virtual time, for one execution tree (the execution and its
 * Distributed Map child executions):
 * - state transitions are drawn from one token bucket (`bucket` tokens, `refillPerSecond`); a
 *   transition finding it empty waits until its token is refilled: delayed, never failed (AWS
 *   throttles StateTransition and the execution carries on later; the model takes the wait as
 *   exactly the refill time of its token, first come first served);
 * - a Map Run starts its child executions at most `distributedMapChildStartsPerSecond` per
 *   second (Standard or Express children), evenly spaced, the first at once;
 * - a Map Run never has more than `maxDistributedMapConcurrency` children running, whatever its
 *   MaxConcurrency says.
 * Defaults: ./limits.ts.
 */
import { LocalRuntimeConfigError } from './errors';
import {
  DISTRIBUTED_MAP_CHILD_STARTS_PER_SECOND, MAX_DISTRIBUTED_MAP_CONCURRENCY, STATE_TRANSITION_QUOTA_REGIONS, STATE_TRANSITIONS_LARGE, STATE_TRANSITIONS_SMALL,
} from './limits';
import { ExecutionQuotas, QuotaStats } from './types';

export interface ResolvedQuotas {
  readonly stateTransitions: { readonly bucket: number; readonly refillPerSecond: number };
  readonly distributedMapChildStartsPerSecond: { readonly standard: number; readonly express: number };
  readonly maxDistributedMapConcurrency: number;
}

/** The quotas in force: the caller's, else AWS's defaults for the Region. Every bad value is reported at once. */
export function resolveQuotas(quotas: ExecutionQuotas | undefined, region: string): ResolvedQuotas {
  const defaults = STATE_TRANSITION_QUOTA_REGIONS.includes(region) ? STATE_TRANSITIONS_LARGE : STATE_TRANSITIONS_SMALL;
  const resolved: ResolvedQuotas = {
    stateTransitions: { ...defaults, ...quotas?.stateTransitions },
    distributedMapChildStartsPerSecond: { ...DISTRIBUTED_MAP_CHILD_STARTS_PER_SECOND, ...quotas?.distributedMapChildStartsPerSecond },
    maxDistributedMapConcurrency: quotas?.maxDistributedMapConcurrency ?? MAX_DISTRIBUTED_MAP_CONCURRENCY,
  };
  const problems: string[] = [];
  const positive = (name: string, v: number, integer: boolean) => {
    if (typeof v !== 'number' || Number.isNaN(v) || v <= 0 || (integer && v !== Infinity && !Number.isInteger(v))) {
      problems.push(`quotas.${name}: must be a positive ${integer ? 'integer' : 'number'} (or Infinity), got ${String(v)}`);
    }
  };
  positive('stateTransitions.bucket', resolved.stateTransitions.bucket, true);
  positive('stateTransitions.refillPerSecond', resolved.stateTransitions.refillPerSecond, false);
  positive('distributedMapChildStartsPerSecond.standard', resolved.distributedMapChildStartsPerSecond.standard, false);
  positive('distributedMapChildStartsPerSecond.express', resolved.distributedMapChildStartsPerSecond.express, false);
  positive('maxDistributedMapConcurrency', resolved.maxDistributedMapConcurrency, true);
  if (problems.length > 0) {
    throw new LocalRuntimeConfigError(`Option quotas is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix: pass positive numbers, or leave a quota out for AWS's default.`);
  }
  return resolved;
}

/** The state-transition bucket: tokens may go negative, each negative token a transition waiting for its refill. */
export class TransitionBucket {
  private tokens: number;
  private lastMs = -Infinity;

  constructor(private readonly bucket: number, private readonly refillPerSecond: number, private readonly stats: QuotaStats) {
    this.tokens = bucket;
  }

  /** Takes a token for a transition at `nowMs`; returns when the transition may run (>= nowMs). */
  take(nowMs: number): number {
    this.stats.stateTransitions++;
    if (this.bucket === Infinity || this.refillPerSecond === Infinity) return nowMs;
    if (nowMs > this.lastMs) {
      if (this.lastMs !== -Infinity) this.tokens = Math.min(this.bucket, this.tokens + ((nowMs - this.lastMs) * this.refillPerSecond) / 1000);
      this.lastMs = nowMs;
    }
    this.tokens -= 1;
    if (this.tokens >= 0) return nowMs;
    const waitMs = (-this.tokens * 1000) / this.refillPerSecond;
    this.stats.transitionsThrottled++;
    this.stats.transitionDelaySeconds += waitMs / 1000;
    return nowMs + waitMs;
  }
}

/** One Map Run's child starts: at most `perSecond`, evenly spaced, the first at once. */
export class ChildStartLimiter {
  private nextMs = -Infinity;
  private readonly spacingMs: number;

  constructor(perSecond: number, private readonly stats: QuotaStats) {
    this.spacingMs = 1000 / perSecond;
  }

  /** When a child wanting to start at `nowMs` starts. */
  start(nowMs: number): number {
    const at = Math.max(nowMs, this.nextMs);
    this.nextMs = at + this.spacingMs;
    this.stats.childStarts++;
    if (at > nowMs) this.stats.childStartDelaySeconds += (at - nowMs) / 1000;
    return at;
  }
}

export function emptyQuotaStats(): QuotaStats {
  return { stateTransitions: 0, transitionsThrottled: 0, transitionDelaySeconds: 0, childStarts: 0, childStartDelaySeconds: 0, peakChildrenInFlight: 0 };
}
