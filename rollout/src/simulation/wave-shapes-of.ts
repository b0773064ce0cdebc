import { RolloutWave } from '@fleet/contracts';
import { PlannedWave, RolloutPlan } from '../plan-rollout';
import { WaveShape } from './rollout-lower-bound';

/** A wave's label in models and charts: its 1-based position and ring, e.g. `3 everyone`. */
export function waveLabel(wave: Pick<RolloutWave, 'index' | 'ring'>): string {
  return `${wave.index + 1} ${wave.ring}`;
}

/**
 * The shapes of a planned rollout's waves, for {@link rolloutLowerBound}: deployments = items,
 * MaxConcurrency and bake from the wave. `accounts` counts distinct (account, Region) pairs:
 * should CloudFormation's API limits be per Region, a pair is the true bucket, and counting
 * more buckets can only lower the bound, never overstate it.
 */
export function waveShapesOf(plan: Pick<RolloutPlan, 'waves'>): WaveShape[] {
  return plan.waves.map((wave: PlannedWave) => ({
    label: waveLabel(wave),
    deployments: wave.items.length,
    accounts: new Set(wave.items.map((i) => `${i.accountId} ${i.region}`)).size,
    maxConcurrency: wave.maxConcurrency,
    bakeSeconds: wave.gate.bakeSeconds,
  }));
}
