import { Problem } from '@fleet/contracts';
import { FleetQuotas, resolveQuotas } from './fleet-quotas';
import { LowerBoundOptions, rolloutLowerBound, WaveShape } from './rollout-lower-bound';
import { throwIfProblems } from './simulation-input-error';

/** A wave with the stack times its deployments actually took in one run (the simulator's stack update log). */
export interface RealizedWave extends WaveShape {
  /**
   * Seconds of CloudFormation work per deployment of the wave (change set creation plus stack
   * update, rollback monitoring included), in any order; at most `deployments` of them. A
   * deployment with no entry (skipped: already at its release) counts as 0 s: its child still
   * has to start.
   */
  readonly stackSeconds: readonly number[];
}

/** The constraint that decides a wave's time in {@link realizedLowerBound}. */
export type RealizedBindingConstraint = 'start-ramp' | 'slot-area' | 'busiest-slot' | 'state-transitions' | 'cloudformation-api' | 'empty';

/** A wave's time under each necessity of the realized bound, in seconds (bake excluded). */
export interface RealizedWaveConstraintSeconds {
  /** max over k of k / rate + t_(k), times sorted longest first (k from 0: the first child starts at once). */
  readonly startRamp: number;
  /** The earliest T at which the slots the ramp has opened by T add up to the sum of the times. */
  readonly slotArea: number;
  /** Some slot runs ceil(n / cap) deployments back to back: at least the sum of that many shortest times. */
  readonly busiestSlot: number;
  /** As in {@link rolloutLowerBound}: (transitions needed - bucket) / refill. */
  readonly stateTransitions: number;
  /** As in {@link rolloutLowerBound}: the busiest account's calls to one API beyond its burst / refill. */
  readonly cloudFormationApi: number;
}

export interface RealizedLowerBoundWave {
  readonly label: string;
  readonly startSeconds: number;
  /** Deployments done plus the bake. */
  readonly endSeconds: number;
  readonly binding: RealizedBindingConstraint;
  readonly deploySeconds: number;
  readonly bakeSeconds: number;
  readonly constraints: RealizedWaveConstraintSeconds;
  /** The longest and the total of the wave's stack times. */
  readonly longestStackSeconds: number;
  readonly totalStackSeconds: number;
}

/** The fastest any engine could have run the waves given the stack times this run drew. */
export interface RealizedLowerBound {
  readonly totalSeconds: number;
  readonly waves: readonly RealizedLowerBoundWave[];
}

const SOURCE = 'realizedLowerBound';

/**
 * The earliest any engine could finish `waves` in sequence, given the stack times the run drew
 * (unlike {@link rolloutLowerBound}, which takes the shortest time of the ranges for every
 * deployment, a bound for any draw). Per wave, with child start rate r (the first child at once,
 * then one every 1 / r), at most C = min(MaxConcurrency, maxChildrenPerMapRun) children at once,
 * and times t_1..t_n, the largest of five necessities, then the bake:
 * - start ramp: the child started k-th (from 0) starts no earlier than k / r and then takes its
 *   own time; whatever the order, the finish is at least max_k (k / r + t_(k)) over the times
 *   sorted longest first (by exchange: starting a longer update later can only end later);
 * - slot area: by time T at most min(C, n, r·τ + 1) children run at each τ < T, so the slot
 *   time available, ∫ min(C, n, r·τ + 1) dτ, must reach sum(t): sum(t) / C plus the ramp's lost
 *   triangle when the ramp reaches C;
 * - busiest slot: updates that never overlap more than C at once split into C chains run back to
 *   back (interval graphs are perfect), so one chain holds ceil(n / C) updates, at least the
 *   ceil(n / C) shortest times in sequence;
 * - state transitions and CloudFormation API buckets, exactly as {@link rolloutLowerBound}
 *   computes them (they do not depend on the times).
 * Each is a time no schedule under the same quotas can beat, so their maximum is one too; it is
 * never below {@link rolloutLowerBound}'s `minimum` basis when every time is at least the
 * ranges' minimum. Not a necessity, so left out: polling (an engine told of completion at once
 * would not poll), the engine's own per-child states beyond the transition count given.
 * @throws SimulationInputError with every bad value at once
 */
export function realizedLowerBound(waves: readonly RealizedWave[], quotas?: Partial<FleetQuotas>, options: Omit<LowerBoundOptions, 'stackTime'> = {}): RealizedLowerBound {
  const problems: Problem[] = [];
  const q = resolveQuotas(quotas, 'quotas', problems);
  if (!Array.isArray(waves)) problems.push({ subject: 'waves', problem: 'must be an array of realized waves', value: waves, fix: 'Pass one { label, deployments, accounts, maxConcurrency, bakeSeconds, stackSeconds } per wave, in rollout order' });
  else {
    waves.forEach((w, i) => {
      const times = w?.stackSeconds;
      if (!Array.isArray(times)) problems.push({ subject: `waves[${i}].stackSeconds`, problem: 'must be an array of seconds', value: times, fix: 'Pass the seconds each deployment of the wave took (change set and stack update)' });
      else {
        const bad = times.findIndex((t) => !(typeof t === 'number' && Number.isFinite(t) && t >= 0));
        if (bad >= 0) problems.push({ subject: `waves[${i}].stackSeconds[${bad}]`, problem: 'must be a number of seconds, zero or more', value: times[bad], fix: 'Give each deployment\'s time in seconds' });
        if (typeof w.deployments === 'number' && times.length > w.deployments) problems.push({ subject: `waves[${i}].stackSeconds`, problem: `has more times (${times.length}) than the wave has deployments (${w.deployments})`, fix: 'Pass at most one time per deployment of the wave' });
      }
    });
  }
  // The shape checks and the bucket constraints are the minimum bound's own (one implementation).
  const shapes = Array.isArray(waves) ? waves.map(({ stackSeconds: _t, ...shape }) => shape) : waves;
  const zero = { changeSetSeconds: { min: 0, max: 0 }, deploySeconds: { min: 0, max: 0 } };
  let buckets: ReturnType<typeof rolloutLowerBound> | undefined;
  try {
    buckets = rolloutLowerBound(shapes, zero, quotas, options);
  } catch (error) {
    const more = (error as { problems?: readonly Problem[] }).problems;
    if (!more) throw error;
    for (const p of more) if (!problems.some((known) => known.subject === p.subject)) problems.push(p);
  }
  throwIfProblems(problems, SOURCE);

  const r = q.distributedMapChildStartsPerSecond;
  let clock = 0;
  const out = waves.map((w, i): RealizedLowerBoundWave => {
    const n = w.deployments;
    const times = [...w.stackSeconds, ...new Array<number>(n - w.stackSeconds.length).fill(0)].sort((a, b) => b - a);
    const total = times.reduce((sum, t) => sum + t, 0);
    const cap = Math.min(w.maxConcurrency, q.maxChildrenPerMapRun);
    const { stateTransitions, cloudFormationApi } = buckets!.waves[i].constraints;
    let constraints: RealizedWaveConstraintSeconds = { startRamp: 0, slotArea: 0, busiestSlot: 0, stateTransitions: 0, cloudFormationApi: 0 };
    if (n > 0) {
      let startRamp = 0;
      for (let k = 0; k < n; k++) startRamp = Math.max(startRamp, k / r + times[k]);
      const rounds = Math.ceil(n / cap);
      let busiestSlot = 0;
      for (let k = n - rounds; k < n; k++) busiestSlot += times[k];
      constraints = { startRamp, slotArea: slotAreaSeconds(total, Math.min(cap, n), r), busiestSlot, stateTransitions, cloudFormationApi };
    }
    const deploySeconds = n === 0 ? 0 : Math.max(...Object.values(constraints));
    const startSeconds = clock;
    clock += deploySeconds + w.bakeSeconds;
    return {
      label: w.label, startSeconds, endSeconds: clock, binding: n === 0 ? 'empty' : bindingOf(constraints), deploySeconds, bakeSeconds: w.bakeSeconds,
      constraints, longestStackSeconds: times[0] ?? 0, totalStackSeconds: total,
    };
  });
  return { totalSeconds: clock, waves: out };
}

/**
 * The least T with ∫0^T min(m, r·τ + 1) dτ >= total: m slots at most, the (k+1)-th opening at
 * k / r (r·τ + 1 is never below the children started by τ, so the area is never understated
 * and T is never overstated).
 */
function slotAreaSeconds(total: number, m: number, r: number): number {
  if (total <= 0) return 0;
  const rampEnd = (m - 1) / r;
  const rampArea = rampEnd + (r * rampEnd * rampEnd) / 2;
  if (total >= rampArea) return (total + ((m - 1) * (m - 1)) / (2 * r)) / m;
  return (Math.sqrt(1 + 2 * r * total) - 1) / r;
}

/** The largest constraint; on a tie the first in the order they are listed. */
function bindingOf(c: RealizedWaveConstraintSeconds): RealizedBindingConstraint {
  const order: Array<[RealizedBindingConstraint, number]> = [
    ['start-ramp', c.startRamp], ['slot-area', c.slotArea], ['busiest-slot', c.busiestSlot], ['state-transitions', c.stateTransitions], ['cloudformation-api', c.cloudFormationApi],
  ];
  return order.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}
