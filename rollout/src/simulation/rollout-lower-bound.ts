import { Problem } from '@fleet/contracts';
import { FleetQuotas, resolveQuotas } from './fleet-quotas';
import { isIntegerAtLeast, throwIfProblems } from './simulation-input-error';
import { StackTimeBasis, stackSeconds, StackTimes, stackTimesProblems } from './stack-times';

/** One wave of a rollout as the models see it: how much it deploys, where, how wide, and its bake. */
export interface WaveShape {
  /** Shown in results and charts (a user's ring or wave name). */
  readonly label: string;
  /** Stack updates in the wave (tenants x services x Regions of the wave). */
  readonly deployments: number;
  /** Distinct tenant accounts the deployments land in (spread evenly; the busiest account gets the rounded-up share). */
  readonly accounts: number;
  /** The wave's own cap on deployments at once (the Distributed Map's MaxConcurrency). */
  readonly maxConcurrency: number;
  /** Wait after the wave's last deployment before the next wave may start (the gate's bake). */
  readonly bakeSeconds: number;
}

/** The constraint that decides a wave's time in {@link rolloutLowerBound}. */
export type BindingConstraint = 'child-start-rate' | 'concurrency' | 'state-transitions' | 'cloudformation-api' | 'empty';

/** A wave's time under each constraint, in seconds (bake excluded). */
export interface WaveConstraintSeconds {
  /** (deployments - 1) / child start rate (the first child starts at once), then one stack time for the last child started. */
  readonly childStartRate: number;
  /** ceil(deployments / min(maxConcurrency, maxChildrenPerMapRun)) stack times in sequence. */
  readonly concurrency: number;
  /** (state transitions needed - bucket) / refill. */
  readonly stateTransitions: number;
  /** (calls of one API in the busiest account - burst) / refill. */
  readonly cloudFormationApi: number;
}

/** A wave in the lower bound: when it could start and end at the earliest, and why. */
export interface LowerBoundWave {
  readonly label: string;
  readonly startSeconds: number;
  /** Deployments done plus the bake. */
  readonly endSeconds: number;
  /** The largest of the constraints (`empty`: nothing to deploy, the wave is only its bake). */
  readonly binding: BindingConstraint;
  readonly deploySeconds: number;
  readonly bakeSeconds: number;
  readonly constraints: WaveConstraintSeconds;
}

/** The fastest any engine could run the waves, wave after wave. */
export interface LowerBound {
  readonly totalSeconds: number;
  readonly waves: readonly LowerBoundWave[];
  /** The one stack time used, and on which basis (see {@link LowerBoundOptions.stackTime}). */
  readonly stackSeconds: number;
  readonly stackTimeBasis: StackTimeBasis;
}

/** What the bound assumes of the engine beyond the quotas. */
export interface LowerBoundOptions {
  /**
   * `minimum`: every stack update takes the shortest time of the ranges, so no engine can beat
   * the result (a true bound). `mean`: the ranges' means, a realistic figure, but an engine
   * that draws short times can finish under it.
   * @default 'minimum'
   */
  readonly stackTime?: StackTimeBasis;
  /**
   * State transitions one deployment needs in the central account.
   * @default 6 (create change set, wait, describe, execute, wait, describe the stack: the fewest states a Step Functions engine can run; the fleet's own child runs 17 with one poll each)
   */
  readonly stateTransitionsPerDeployment?: number;
  /**
   * Calls one deployment makes to its busiest CloudFormation API (each API has its own bucket per account).
   * @default 1 (one CreateChangeSet, one ExecuteChangeSet, at least one describe: one call per API)
   */
  readonly cloudFormationCallsPerDeployment?: number;
}

const SOURCE = 'rolloutLowerBound';

/**
 * The earliest any engine could finish `waves` in sequence under `quotas` (defaults
 * {@link FLEET_QUOTA_DEFAULTS}). Per wave it takes the largest of four independent necessities,
 * each a time no schedule can beat, then adds the bake:
 * - child starts: the Map Run starts children at a fixed rate, the first at once, so the last of
 *   N starts after (N - 1) / rate seconds and still needs one stack time;
 * - concurrency: at most min(MaxConcurrency, 10,000) run at once, so some slot runs
 *   ceil(N / that) updates back to back;
 * - state transitions: every transition beyond the full bucket waits for its refill (the bucket
 *   is taken as full at every wave start, which can only make the bound lower);
 * - CloudFormation API: the busiest account's calls to one API beyond its burst wait for refill.
 * The constraints overlap in reality, so the sum would be no bound; the maximum is one.
 * @throws SimulationInputError with every bad value at once
 */
export function rolloutLowerBound(waves: readonly WaveShape[], stackTimes: StackTimes, quotas?: Partial<FleetQuotas>, options: LowerBoundOptions = {}): LowerBound {
  const problems: Problem[] = [];
  const q = resolveQuotas(quotas, 'quotas', problems);
  problems.push(...stackTimesProblems(stackTimes, 'stackTimes'));
  if (!Array.isArray(waves)) problems.push({ subject: 'waves', problem: 'must be an array of wave shapes', value: waves, fix: 'Pass one { label, deployments, accounts, maxConcurrency, bakeSeconds } per wave, in rollout order' });
  else waves.forEach((w, i) => problems.push(...waveProblems(w, `waves[${i}]`)));
  const basis = options.stackTime ?? 'minimum';
  if (basis !== 'minimum' && basis !== 'mean') problems.push({ subject: 'options.stackTime', problem: "must be 'minimum' or 'mean'", value: basis, fix: "Use 'minimum' for a true bound or 'mean' for a realistic one" });
  const transitionsPer = options.stateTransitionsPerDeployment ?? 6;
  const callsPer = options.cloudFormationCallsPerDeployment ?? 1;
  if (!(Number.isFinite(transitionsPer) && transitionsPer >= 0)) problems.push({ subject: 'options.stateTransitionsPerDeployment', problem: 'must be a number of zero or more', value: transitionsPer, fix: 'Count the states one deployment runs, or leave it out for 6' });
  if (!(Number.isFinite(callsPer) && callsPer >= 0)) problems.push({ subject: 'options.cloudFormationCallsPerDeployment', problem: 'must be a number of zero or more', value: callsPer, fix: 'Count the calls one deployment makes to its busiest CloudFormation API, or leave it out for 1' });
  throwIfProblems(problems, SOURCE);

  const stack = stackSeconds(stackTimes, basis);
  let clock = 0;
  const out: LowerBoundWave[] = waves.map((w) => {
    const n = w.deployments;
    const constraints: WaveConstraintSeconds = n === 0
      ? { childStartRate: 0, concurrency: 0, stateTransitions: 0, cloudFormationApi: 0 }
      : {
        childStartRate: (n - 1) / q.distributedMapChildStartsPerSecond + stack,
        concurrency: Math.ceil(n / Math.min(w.maxConcurrency, q.maxChildrenPerMapRun)) * stack,
        stateTransitions: Math.max(0, n * transitionsPer - q.stateTransitions.bucket) / q.stateTransitions.refillPerSecond,
        cloudFormationApi: Math.max(0, Math.ceil(n / w.accounts) * callsPer - q.cloudFormationApi.burst) / q.cloudFormationApi.refillPerSecond,
      };
    const binding = n === 0 ? 'empty' : bindingOf(constraints);
    const deploySeconds = n === 0 ? 0 : Math.max(constraints.childStartRate, constraints.concurrency, constraints.stateTransitions, constraints.cloudFormationApi);
    const startSeconds = clock;
    clock += deploySeconds + w.bakeSeconds;
    return { label: w.label, startSeconds, endSeconds: clock, binding, deploySeconds, bakeSeconds: w.bakeSeconds, constraints };
  });
  return { totalSeconds: clock, waves: out, stackSeconds: stack, stackTimeBasis: basis };
}

/** The largest constraint; on a tie the first in the order they are listed. */
function bindingOf(c: WaveConstraintSeconds): BindingConstraint {
  const order: Array<[BindingConstraint, number]> = [
    ['child-start-rate', c.childStartRate], ['concurrency', c.concurrency], ['state-transitions', c.stateTransitions], ['cloudformation-api', c.cloudFormationApi],
  ];
  return order.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

function waveProblems(w: WaveShape, subject: string): Problem[] {
  const problems: Problem[] = [];
  if (w === null || typeof w !== 'object') return [{ subject, problem: 'must be a wave shape', value: w, fix: 'Pass { label, deployments, accounts, maxConcurrency, bakeSeconds }' }];
  if (typeof w.label !== 'string' || w.label === '') problems.push({ subject: `${subject}.label`, problem: 'must be a non-empty string', value: w.label, fix: 'Name the wave (its ring or wave name)' });
  if (!isIntegerAtLeast(w.deployments, 0)) problems.push({ subject: `${subject}.deployments`, problem: 'must be a whole number of zero or more', value: w.deployments, fix: 'Count the stack updates of the wave' });
  const minAccounts = isIntegerAtLeast(w.deployments, 1) ? 1 : 0;
  if (!isIntegerAtLeast(w.accounts, minAccounts)) problems.push({ subject: `${subject}.accounts`, problem: `must be a whole number of ${minAccounts} or more`, value: w.accounts, fix: 'Count the distinct tenant accounts the wave deploys to' });
  if (!isIntegerAtLeast(w.maxConcurrency, 1)) problems.push({ subject: `${subject}.maxConcurrency`, problem: 'must be a whole number of 1 or more', value: w.maxConcurrency, fix: 'Give the wave its Map MaxConcurrency (10000 for no cap of its own)' });
  if (!(typeof w.bakeSeconds === 'number' && Number.isFinite(w.bakeSeconds) && w.bakeSeconds >= 0)) problems.push({ subject: `${subject}.bakeSeconds`, problem: 'must be a number of seconds, zero or more', value: w.bakeSeconds, fix: 'Give the bake in seconds (0 for none)' });
  return problems;
}
