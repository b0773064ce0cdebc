/**
 * The simulated rollout next to the models of the same constraints (the pure functions of
 * @fleet/rollout): the lower bound (the fastest any engine could finish) and StackSets in STRICT
 * (tolerance 0) and SOFT mode. This is the one file that calls them.
 */
import {
  FleetQuotas, LowerBound, rolloutLowerBound, simulateStackSets, StackSetsModelResult, StackTimes, WaveShape, waveShapesOf,
} from '@fleet/rollout';
import type { FleetSimulation, SimulationRun } from './fleet-simulation';
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
  return waveShapesOf(sim.plan);
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
    maxChildrenPerMapRun: sim.quotas.maxDistributedMapConcurrency,
    distributedMapChildStartsPerSecond: sim.quotas.distributedMapChildStartsPerSecond.standard,
    cloudFormationApi: { burst: limit.burst, refillPerSecond: limit.refillPerSecond },
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
    tenants: sim.fleet.registry.tenants.length,
    services: sim.fleet.releases.length,
    // One stack set per service, the dependency levels in sequence, as the engine's waves are.
    dependencyLevels: Math.min(sim.options.dependencyLevels ?? SIMULATION_DEFAULTS.dependencyLevels, sim.fleet.releases.length),
    stackTimes,
    // The concurrency the engine's rings are given (the model caps it at 100 per stack set);
    // STRICT with tolerance 0 runs one at a time whatever is asked.
    maxConcurrent: Math.max(...sim.plan.waves.map((w) => w.maxConcurrency)),
    failureTolerance: 0,
    quotas,
    seed: sim.options.seed ?? SIMULATION_DEFAULTS.seed,
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
