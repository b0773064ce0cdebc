import { Problem } from '@fleet/contracts';

/**
 * How long one stack update takes in a tenant account, as two uniform ranges in seconds: creating
 * the change set, then executing it until the stack is complete. Both the engine and the
 * StackSets model use the same ranges, so their times compare.
 */
export interface StackTimes {
  readonly changeSetSeconds: { readonly min: number; readonly max: number };
  readonly deploySeconds: { readonly min: number; readonly max: number };
}

/** Which single stack time a model uses: the fastest possible update, or the mean of the ranges. */
export type StackTimeBasis = 'minimum' | 'mean';

/** One stack update's seconds on `basis`. */
export function stackSeconds(times: StackTimes, basis: StackTimeBasis): number {
  if (basis === 'minimum') return times.changeSetSeconds.min + times.deploySeconds.min;
  return (times.changeSetSeconds.min + times.changeSetSeconds.max) / 2 + (times.deploySeconds.min + times.deploySeconds.max) / 2;
}

/** A problem for every range that is not `0 <= min <= max`. */
export function stackTimesProblems(times: StackTimes | undefined, subject: string): Problem[] {
  if (times === undefined || times === null || typeof times !== 'object') {
    return [{ subject, problem: 'is missing', fix: 'Pass { changeSetSeconds: { min, max }, deploySeconds: { min, max } }' }];
  }
  const problems: Problem[] = [];
  for (const part of ['changeSetSeconds', 'deploySeconds'] as const) {
    const range = times[part];
    const ok = range !== undefined && isNumber(range.min) && isNumber(range.max) && range.min >= 0 && range.min <= range.max;
    if (!ok) problems.push({ subject: `${subject}.${part}`, problem: 'must be { min, max } with 0 <= min <= max seconds', value: range, fix: `Give ${part} a minimum and a maximum in seconds, the minimum not above the maximum` });
  }
  return problems;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
