/**
 * The simulated rollout next to the models of the same constraints (the pure functions of
 * @fleet/rollout): the lower bounds (from the stack times this run drew, and from the ranges'
 * minimum, a bound for any draw) and StackSets in STRICT (tolerance 0) and SOFT mode, gated by
 * the same rings and bakes as the engine unless asked otherwise, the ungated figures beside.
 * This is the one file that calls them.
 */
import {
  FleetQuotas, LowerBound, RealizedLowerBound, realizedLowerBound, RealizedWave, rolloutLowerBound, simulateStackSets, StackSetsModelResult,
  StackSetsRing, StackTimes, WaveShape, waveShapesOf,
} from '@fleet/rollout';
import type { FleetSimulation, SimulationRun } from './fleet-simulation';
import { SIMULATION_DEFAULTS } from './simulation-options';

/** A StackSets model run without its per-instance intervals (120,000 of them at 6,000 x 20). */
export type StackSetsSummary = Omit<StackSetsModelResult, 'intervals'> & { readonly stackInstanceUpdates: number };

export interface ModelComparison {
  /** The fastest any engine could have finished given the stack times this run drew (the headline bound). */
  readonly realizedBound: RealizedLowerBound;
  /** The fastest any engine could finish for any draw: every stack update at the ranges' minimum. */
  readonly lowerBound: LowerBound;
  /** The lower bounds of each wave alone (its label, seconds): from this run's times, and from the minimum. */
  readonly waveLowerBounds: readonly { readonly label: string; readonly seconds: number; readonly minimumSeconds: number }[];
  /** True when the StackSets figures compared run the engine's rings and bakes (one operation per stack set per ring). */
  readonly stackSetsGated: boolean;
  /** StackSets STRICT tolerance 0, as compared (gated unless `gatedStackSets: false`). */
  readonly stackSetsStrict: StackSetsSummary;
  /** StackSets SOFT, as compared. */
  readonly stackSetsSoft: StackSetsSummary;
  /** StackSets with one operation per stack set over every tenant, no rings, no bake (when the compared figures are gated). */
  readonly stackSetsUngated?: { readonly strict: StackSetsSummary; readonly soft: StackSetsSummary };
  readonly ratios: {
    /** Simulated duration / the bound from this run's stack times (1 is the best possible). */
    readonly simulatedToRealizedBound: number;
    /** Simulated duration / the minimum-based lower bound. */
    readonly simulatedToLowerBound: number;
    /** StackSets SOFT / simulated (how many times faster the engine is), as compared. */
    readonly softToSimulated: number;
    /** StackSets STRICT tolerance 0 / simulated, as compared. */
    readonly strictToSimulated: number;
    /** The same two ratios against ungated StackSets. */
    readonly ungatedSoftToSimulated?: number;
    readonly ungatedStrictToSimulated?: number;
  };
}

export interface CompareOptions {
  /**
   * Run StackSets with the engine's safety: per ring, one operation per stack set, the ring's
   * bake before the next ring. The ungated figures are reported beside.
   * @default true
   */
  readonly gatedStackSets?: boolean;
  /**
   * Seconds StackSets adds per stack instance (`StackSetsModelOptions.instanceOverheadSeconds`).
   * @default 0 (no published figure)
   */
  readonly stackSetsInstanceOverheadSeconds?: number;
}

/** The waves as the models see them. */
export function waveShapes(sim: FleetSimulation): WaveShape[] {
  return waveShapesOf(sim.plan);
}

/**
 * The waves with the CloudFormation work each deployment of this run took (change set plus
 * stack update, from the simulated CloudFormation's log: the last update of each stack, so a
 * resumed run counts what finally deployed it).
 */
export function realizedWaves(sim: FleetSimulation, run: SimulationRun): RealizedWave[] {
  const seconds = new Map<string, number>();
  for (const i of run.intervals) seconds.set(`${i.account}/${i.service}`, i.endSeconds - i.startSeconds + (i.changeSetSeconds ?? 0));
  return waveShapes(sim).map((shape, w) => ({
    ...shape,
    stackSeconds: sim.plan.waves[w].items.flatMap((item) => {
      const s = seconds.get(`${item.accountId}/${item.service}`);
      return s === undefined ? [] : [s];
    }),
  }));
}

/** Each service's stack times, in service order; the rollback monitoring is part of a stack update. */
export function modelServiceStackTimes(sim: FleetSimulation): StackTimes[] {
  const monitoring = 60 * (sim.options.monitoringMinutes ?? SIMULATION_DEFAULTS.monitoringMinutes);
  return sim.fleet.releases.map((_, i) => {
    const t = sim.stackTimesOf(i);
    return { changeSetSeconds: { ...t.changeSetSeconds }, deploySeconds: { min: t.deploySeconds.min + monitoring, max: t.deploySeconds.max + monitoring } };
  });
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
    stateTransitions: sim.quotas.stateTransitions,
    cloudFormationApi: { burst: limit.burst, refillPerSecond: limit.refillPerSecond },
  };
}

/** The engine's rings for the gated StackSets model: tenants in account order, each ring's bake (none after the last). */
export function stackSetsRings(sim: FleetSimulation): StackSetsRing[] {
  const rings = sim.fleet.registry.rings;
  return rings.map((ring, i) => ({
    label: ring.name,
    tenants: sim.fleet.registry.tenants.filter((t) => t.ring === ring.name).length,
    bakeSeconds: i === rings.length - 1 ? 0 : ring.bakeMinutes * 60,
  }));
}

export function compareWithModels(sim: FleetSimulation, run: SimulationRun, options: CompareOptions = {}): ModelComparison {
  const gated = options.gatedStackSets ?? true;
  const waves = waveShapes(sim);
  const stackTimes = modelStackTimes(sim);
  const quotas = modelQuotas(sim);
  const serviceStackTimes = modelServiceStackTimes(sim);
  const lowerBound = rolloutLowerBound(waves, stackTimes, quotas);
  const realized = realizedWaves(sim, run);
  const realizedBound = realizedLowerBound(realized, quotas);
  const waveLowerBounds = waves.map((w, i) => ({
    label: w.label,
    seconds: realizedLowerBound([realized[i]], quotas).totalSeconds,
    minimumSeconds: rolloutLowerBound([w], stackTimes, quotas).totalSeconds,
  }));
  const stackSets = (mode: 'STRICT' | 'SOFT', rings: StackSetsRing[] | undefined): StackSetsSummary => {
    const { intervals, ...result } = simulateStackSets({
      mode,
      tenants: sim.fleet.registry.tenants.length,
      services: sim.fleet.releases.length,
      // One stack set per service, the dependency levels in sequence, as the engine's waves are.
      dependencyLevels: Math.min(sim.options.dependencyLevels ?? SIMULATION_DEFAULTS.dependencyLevels, sim.fleet.releases.length),
      stackTimes,
      // The same times as the engine's: each stack set draws from its own service's ranges.
      serviceStackTimes,
      // The concurrency the engine's rings are given (the model caps it at 100 per stack set);
      // STRICT with tolerance 0 runs one at a time whatever is asked.
      maxConcurrent: Math.max(...sim.plan.waves.map((w) => w.maxConcurrency)),
      failureTolerance: 0,
      quotas,
      seed: sim.options.seed ?? SIMULATION_DEFAULTS.seed,
      ...(rings ? { rings } : {}),
      ...(options.stackSetsInstanceOverheadSeconds !== undefined ? { instanceOverheadSeconds: options.stackSetsInstanceOverheadSeconds } : {}),
    });
    return { ...result, stackInstanceUpdates: intervals.length };
  };
  const rings = gated ? stackSetsRings(sim) : undefined;
  const stackSetsStrict = stackSets('STRICT', rings);
  const stackSetsSoft = stackSets('SOFT', rings);
  const stackSetsUngated = gated ? { strict: stackSets('STRICT', undefined), soft: stackSets('SOFT', undefined) } : undefined;
  const simulated = Math.max(1e-9, run.virtualSeconds);
  return {
    realizedBound,
    lowerBound,
    waveLowerBounds,
    stackSetsGated: gated,
    stackSetsStrict,
    stackSetsSoft,
    ...(stackSetsUngated ? { stackSetsUngated } : {}),
    ratios: {
      simulatedToRealizedBound: run.virtualSeconds / Math.max(1e-9, realizedBound.totalSeconds),
      simulatedToLowerBound: run.virtualSeconds / Math.max(1e-9, lowerBound.totalSeconds),
      softToSimulated: stackSetsSoft.totalSeconds / simulated,
      strictToSimulated: stackSetsStrict.totalSeconds / simulated,
      ...(stackSetsUngated ? { ungatedSoftToSimulated: stackSetsUngated.soft.totalSeconds / simulated, ungatedStrictToSimulated: stackSetsUngated.strict.totalSeconds / simulated } : {}),
    },
  };
}
