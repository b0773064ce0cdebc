/**
 * What a simulated rollout is made of. Every number is a parameter; the defaults and their
 * sources are in `SIMULATION_DEFAULTS` (../shared/reference/rollout-facts.md for the AWS ones).
 */
import type { RolloutControl } from '@fleet/contracts';

export interface SecondsRange {
  readonly min: number;
  readonly max: number;
}

/** Stack timings of one service (drawn uniformly per account, stack and change set, seeded). */
export interface ServiceStackTimes {
  readonly changeSetSeconds: SecondsRange;
  readonly deploySeconds: SecondsRange;
  readonly rollbackSeconds: SecondsRange;
}

export type RingName = 'canary' | 'early' | 'main';

export interface SimulationOptions {
  /** Tenant accounts (one account per tenant). */
  readonly tenants: number;
  /** Tenant services (one stack each in every account). @default 20 */
  readonly services?: number;
  /**
   * Dependency levels among the services: 1 = independent, `services` = a chain (each after the
   * one before). Services are split into this many groups; each depends on the group before.
   * @default 2 (one shared service first, then the rest)
   */
  readonly dependencyLevels?: number;
  /** Tenants in the canary ring (count). @default 1% of the tenants, at least 1 */
  readonly canaryTenants?: number;
  /** Tenants in the early ring (count). @default 10% of the tenants */
  readonly earlyTenants?: number;
  /** Deployments running at once per wave, per ring (Distributed Map MaxConcurrency, at most 10,000). @default 10,000 every ring */
  readonly maxConcurrency?: Partial<Record<RingName, number>>;
  /**
   * Split each ring's dependency level into waves of at most this many deployments (the ring's
   * `maxWaveSize`). @default no split: one wave per ring and level (a Map Run takes any number of
   * items and runs at most MaxConcurrency at once)
   */
  readonly maxWaveSize?: number;
  /** Bake before the gate of every ring but the last, minutes. @default 30 */
  readonly bakeMinutes?: number;
  /** CloudFormation rollback monitoring after each stack update, minutes (RollbackConfiguration). @default 0 */
  readonly monitoringMinutes?: number;
  /** Tolerated failure percentage of the rings after the canary (the canary tolerates none). @default 0 */
  readonly toleratedFailurePercentage?: number;
  /** Probability in [0, 1] that a stack update fails and rolls back. @default 0 */
  readonly failureRate?: number;
  /** Accounts whose every stack update fails (e.g. a canary account), by tenant index (0-based). @default none */
  readonly failingTenants?: readonly number[];
  /** Stack timings per service (a function of the service index) or one for all. @default SIMULATION_DEFAULTS.stackTimes */
  readonly stackTimes?: ServiceStackTimes | ((serviceIndex: number) => ServiceStackTimes);
  /** Spread of the per-service stack times: each service's ranges are scaled by a seeded factor in [1 - spread, 1 + spread]. @default 0.5 */
  readonly stackTimeSpread?: number;
  /** CloudFormation API limit per account and API: refill per second and burst. @default 5/s, burst 10 (unverified) */
  readonly cloudFormationLimit?: { readonly refillPerSecond: number; readonly burst: number };
  /** Rings whose health gate has an alarm in ALARM (the rollout must halt at that gate). @default none */
  readonly gateAlarms?: readonly RingName[];
  /** Seeds every draw (stack times, failures, jitter). @default 1 */
  readonly seed?: number;
  /** The engine's tunables (the control-plane blueprint's `rollout` option). @default the engine's defaults */
  readonly engine?: {
    readonly pollSeconds?: number;
    readonly maxPolls?: number;
    readonly throttleAttempts?: number;
    readonly maxBackoffSeconds?: number;
    /** @default none (`minimumStackUpdateSecondsByService` applies) */
    readonly minimumStackUpdateSeconds?: number;
    /** @default each simulated service's shortest deploy time (rounded down, at least 1 s) */
    readonly minimumStackUpdateSecondsByService?: Readonly<Record<string, number>>;
  };
  /** Where the virtual clock starts. @default 2026-12-01T00:00:00Z */
  readonly startTime?: string;
  /**
   * The Step Functions quotas, for the runtime (as the scheduler of the local runtime supports
   * them) and the models. @default SIMULATION_DEFAULTS.quotas
   */
  readonly quotas?: Partial<StepFunctionsQuotas>;
  /**
   * Crash the control plane (StopExecution) at the first engine call at or after this many
   * virtual seconds from the start; `simulateRollout` returns the crashed run (see `resume`).
   * @default never
   */
  readonly crashAtSeconds?: number;
  /** The rollout's control item before it starts. @default RUNNING */
  readonly control?: RolloutControl;
  /** Called as the simulation advances (throttled by the caller). */
  readonly onProgress?: (progress: SimulationProgress) => void;
}

/** Step Functions quotas (rollout-facts.md, "Step Functions as the engine"). */
export interface StepFunctionsQuotas {
  /** Standard state transitions: bucket and refill per second. */
  readonly stateTransitions: { readonly bucket: number; readonly refillPerSecond: number };
  /** Distributed Map child executions started per second. */
  readonly distributedMapChildStartsPerSecond: { readonly standard: number; readonly express: number };
  /** Parallel child executions per Map Run. */
  readonly maxDistributedMapConcurrency: number;
}

export interface SimulationProgress {
  /** Virtual seconds since the start (the latest engine call seen). */
  readonly virtualSeconds: number;
  /** Deployments finished (deployed, unchanged, failed or rolled back). */
  readonly done: number;
  readonly total: number;
  /** The wave label of the latest finished deployment, e.g. "2 main". */
  readonly wave: string;
}

export const SIMULATION_DEFAULTS = {
  services: 20,
  dependencyLevels: 2,
  canaryFraction: 0.01,
  earlyFraction: 0.1,
  // Distributed Map: at most 10,000 parallel child executions per Map Run (Developer Guide, quotas).
  maxConcurrency: 10_000,
  // Builders' Library bakes an hour or more; the simulation default is shorter so a run reads quickly. A parameter.
  bakeMinutes: 30,
  monitoringMinutes: 0,
  toleratedFailurePercentage: 0,
  failureRate: 0,
  // The simulated CloudFormation's defaults (unverified: AWS publishes no figure).
  stackTimes: { changeSetSeconds: { min: 5, max: 20 }, deploySeconds: { min: 60, max: 180 }, rollbackSeconds: { min: 30, max: 90 } } as ServiceStackTimes,
  stackTimeSpread: 0.5,
  // AWS publishes no per-API CloudFormation limits; users report DescribeStacks near 5 calls/s (unverified).
  cloudFormationLimit: { refillPerSecond: 5, burst: 10 },
  seed: 1,
  startTime: '2026-12-01T00:00:00.000Z',
  // us-east-1, us-west-2, eu-west-1 figures (Developer Guide, "Service quotas").
  quotas: {
    stateTransitions: { bucket: 5_000, refillPerSecond: 5_000 },
    distributedMapChildStartsPerSecond: { standard: 100, express: 1_000 },
    maxDistributedMapConcurrency: 10_000,
  } as StepFunctionsQuotas,
} as const;
