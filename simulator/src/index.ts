/**
 * @fleet/simulator: a rollout of the synthesized rollout engine over a synthetic fleet of
 * thousands of simulated tenant accounts, in virtual time (`fleet rollout simulate`,
 * `npm run bench:rollout`). See README.md.
 */
export * from './simulation-options';
export * from './synthetic-fleet';
export * from './fleet-simulation';
export * from './in-memory-status-table';
export * from './rollout-engine-definition';
export * from './engine-run-options';
export { drawUnit } from './seeded-draw';
export * from './compare-models';
export * from './render-simulation';
export * from './simulate-flags';
export * from './simulate-command';
export * from './simulation-heap';
// The models' shapes (from @fleet/rollout once "models" merges; a stub until then).
export type { FleetQuotas, LowerBound, RolloutChart, StackSetsModelOptions, StackSetsModelResult, StackTimes, StackUpdateInterval, WaveShape } from '@fleet/rollout';
export { FLEET_QUOTA_DEFAULTS, renderRolloutChart, rolloutLowerBound, simulateStackSets } from '@fleet/rollout';
