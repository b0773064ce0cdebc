/**
 * The simulated rollout next to the models of the same constraints: the lower bound (the
 * fastest any engine could finish) and StackSets in STRICT (tolerance 0) and SOFT mode.
 * The models are pure functions of @fleet/rollout ("models"); until they merge they come from
 * models-stub.ts, and this is the one file that calls them.
 */
import type { FleetSimulation, SimulationRun } from './fleet-simulation';
import {
  FleetQuotas, LowerBound, rolloutLowerBound, simulateStackSets, StackSetsModelResult, StackTimes, WaveShape,
} from './models-stub';
import { SIMULATION_DEFAULTS } from './simulation-options';

export interface ModelComparison {
  readonly lowerBound: LowerBound;
  /** The lower bound of each wave alone (its label, seconds). */
  readonly waveLowerBounds: readonly { readonly label: string; readonly seconds: number }[];
  readonly stackSetsStrict: StackSetsModelResult;
  readonly stackSetsSoft: StackSetsModelResult;
  readonly ratios: {
    /** Simulated duration / lower bound (1 is the best possible). */
    readonly simulatedToLowerBound: number;
    /** StackSets SOFT / simulated (how many times faster the engine is). */
    readonly softToSimulated: number;
    /** StackSets STRICT tolerance 0 / simulated. */
    readonly strictToSimulated: number;
  };
}

/** The waves as the models see them. */
export function waveShapes(sim: FleetSimulation): WaveShape[] {
  return sim.plan.waves.map((w) => ({
    label: `${w.index} ${w.ring}`,
    deployments: w.itemCount,
    accounts: new Set(w.items.map((i) => i.accountId)).size,
    maxConcurrency: w.maxConcurrency,
    bakeSeconds: w.gate.bakeSeconds,
  }));
}

/** The envelope of every service's stack times; the rollback monitoring is part of a stack update. */
export function modelStackTimes(sim: FleetSimulation): StackTimes {
  const services = sim.fleet.releases.length;
  const times = Array.from({ length: services }, (_, i) => sim.stackTimesOf(i));
  const monitoring = 60 * (sim.options.monitoringMinutes ?? SIMULATION_DEFAULTS.monitoringMinutes);
  return {
    changeSetSeconds: { min: Math.min(...times.map((t) => t.changeSetSeconds.min)), max: Math.max(...times.map((t) => t.changeSetSeconds.max)) },
    deploySeconds: { min: Math.min(...times.map((t) => t.deploySeconds.min)) + monitoring, max: Math.max(...times.map((t) => t.deploySeconds.max)) + monitoring },
  };
}

/** The quotas the models take, from the simulation's parameters (one mapping, here). */
export function modelQuotas(sim: FleetSimulation): Partial<FleetQuotas> {
  const limit = sim.options.cloudFormationLimit ?? SIMULATION_DEFAULTS.cloudFormationLimit;
  return {
    maxDistributedMapConcurrency: sim.quotas.maxDistributedMapConcurrency,
    distributedMapChildStartsPerSecond: sim.quotas.distributedMapChildStartsPerSecond.standard,
    cloudFormationCallsPerSecond: limit.refillPerSecond,
  };
}

export function compareWithModels(sim: FleetSimulation, run: SimulationRun): ModelComparison {
  const waves = waveShapes(sim);
  const stackTimes = modelStackTimes(sim);
  const quotas = modelQuotas(sim);
  const lowerBound = rolloutLowerBound(waves, stackTimes, quotas);
  const waveLowerBounds = waves.map((w) => ({ label: w.label, seconds: rolloutLowerBound([w], stackTimes, quotas).totalSeconds }));
  const stackSets = (mode: 'STRICT' | 'SOFT') => simulateStackSets({
    mode,
    services: sim.fleet.releases.length,
    accounts: sim.fleet.registry.tenants.length,
    stackTimes,
    // The same concurrency the engine's rings are given; STRICT with tolerance 0 runs one at a time.
    maxConcurrentCount: Math.max(...sim.plan.waves.map((w) => w.maxConcurrency)),
    failureToleranceCount: 0,
    quotas,
  });
  const stackSetsStrict = stackSets('STRICT');
  const stackSetsSoft = stackSets('SOFT');
  const simulated = Math.max(1e-9, run.virtualSeconds);
  return {
    lowerBound,
    waveLowerBounds,
    stackSetsStrict,
    stackSetsSoft,
    ratios: {
      simulatedToLowerBound: run.virtualSeconds / Math.max(1e-9, lowerBound.totalSeconds),
      softToSimulated: stackSetsSoft.totalSeconds / simulated,
      strictToSimulated: stackSetsStrict.totalSeconds / simulated,
    },
  };
}
