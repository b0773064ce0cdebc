/**
 * A rollout over a synthetic fleet, run by the synthesized rollout engine on the local runtime
 * against a simulated organization, in virtual time:
 *
 *   options -> syntheticFleet (registry, releases) -> planRollout (the real planner)
 *           -> the wave lists in the simulated S3 (what `fleet rollout start` uploads)
 *           -> runExecution(the synthesized RolloutEngine definition) with SimulatedAws
 *              (CloudFormation per account, STS, S3, CloudWatch) and the in-memory status table
 *           -> a timeline: waves, stack update intervals (the CloudFormation event log), counts.
 *
 * A `FleetSimulation` keeps its organization and status table between runs, so a crashed run
 * (`crashAtSeconds`) can be followed by a new execution over the same plan, as an operator would
 * start it again, and the result checked for exactly-once deployment.
 */
import {
  FLEET_DEPLOY_ROLE_NAME, RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION, RolloutInput, serviceRegionKey, serviceStackName,
} from '@fleet/contracts';
import { planRollout, RolloutPlan, rolloutInput } from '@fleet/rollout';
import { runExecution, SimulatedAws, StackUpdateRecord, TraceEvent } from '@fleet/workflows/testing';
import { engineRunOptions } from './engine-run-options';
import { InMemoryStatusTable, StatusItem } from './in-memory-status-table';
import type { StackUpdateInterval } from '@fleet/rollout';
import { synthesizeRolloutEngine, SynthesizedEngine } from './rollout-engine-definition';
import { drawUnit } from './seeded-draw';
import { ServiceStackTimes, SIMULATION_DEFAULTS, SimulationOptions, SimulationProgress, StepFunctionsQuotas } from './simulation-options';
import {
  gateAlarmName, serviceName, SIMULATED_CENTRAL_ACCOUNT, SIMULATED_ORGANIZATION, SIMULATED_REGION, syntheticFleet, SyntheticFleet, tenantAccount,
} from './synthetic-fleet';

export const SIMULATED_STATUS_TABLE = 'fleet-release-status';

/** One wave as it ran. Seconds are virtual, from the simulation's start. */
export interface WaveTimeline {
  readonly index: number;
  /** `<index> <ring>`, e.g. "0 canary". */
  readonly label: string;
  readonly ring: string;
  readonly services: readonly string[];
  readonly deployments: number;
  readonly accounts: number;
  readonly maxConcurrency: number;
  readonly bakeSeconds: number;
  /** The Map Run's start and end (undefined: not reached). */
  readonly startSeconds?: number;
  readonly endSeconds?: number;
  /** The end of the gate (bake and alarm read). */
  readonly gateEndSeconds?: number;
  readonly outcome: 'passed' | 'failed' | 'halted at gate' | 'crashed' | 'not reached';
}

export interface SimulationCounts {
  /** Planned deployments ((tenant, service) pairs; one Region). */
  readonly planned: number;
  readonly deployed: number;
  readonly unchanged: number;
  /** Recorded FAILED or ROLLED_BACK. */
  readonly failed: number;
  /** Children that made no CloudFormation call: already at the release, or the rollout aborted. */
  readonly skipped: number;
  /** Recorded IN_PROGRESS when the run ended (a crash). */
  readonly inProgress: number;
  /** Planned deployments with no status item: their wave did not run, or they had not started. */
  readonly notReached: number;
  /** CloudFormation and CloudWatch calls refused with Rate exceeded. */
  readonly throttledCalls: number;
  /** Task retries (Retry) plus throttling back-offs (the engine's jittered Waits). */
  readonly retries: number;
  readonly cloudFormationCalls: number;
  /** ExecuteChangeSet calls that started a stack update (all runs of this simulation). */
  readonly stackUpdates: number;
}

export interface SimulationRun {
  readonly rolloutId: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly error?: string;
  readonly cause?: string;
  /** The run was stopped by `crashAtSeconds`. */
  readonly crashed: boolean;
  readonly startTime: string;
  readonly endTime: string;
  /** Virtual seconds from the simulation's start to the end of this run. */
  readonly virtualSeconds: number;
  readonly waves: readonly WaveTimeline[];
  /** Every stack update so far (all runs), seconds from the simulation's start. */
  readonly intervals: readonly StackUpdateInterval[];
  readonly counts: SimulationCounts;
  /** Real seconds this run took. */
  readonly wallSeconds: number;
  /** The process's peak resident set size so far (bytes), and the heap used at the end. */
  readonly peakRssBytes: number;
  readonly heapUsedBytes: number;
}

export interface RunOverrides {
  /** Crash this run at this many virtual seconds from the simulation's start. */
  readonly crashAtSeconds?: number;
  readonly onProgress?: (progress: SimulationProgress) => void;
}

const RECORD_STATES = new Set(['RecordDeployed', 'RecordUnchanged', 'RecordRolledBack', 'RecordFailed']);

export class FleetSimulation {
  readonly fleet: SyntheticFleet;
  readonly plan: RolloutPlan;
  readonly aws: SimulatedAws;
  readonly statusTable: InMemoryStatusTable;
  readonly quotas: StepFunctionsQuotas;
  private readonly engine: SynthesizedEngine;
  private readonly input: RolloutInput;
  private readonly startMs: number;
  private readonly seed: number;
  /** `<account>/<stack>` -> wave label. */
  private readonly waveOf = new Map<string, string>();
  /** `<tenantId>/<service>#<region>` -> wave label. */
  private readonly waveOfStatusKey = new Map<string, string>();
  private readonly timesOf: (serviceIndex: number) => ServiceStackTimes;
  private lastEndMs: number;
  private runs = 0;

  constructor(readonly options: SimulationOptions) {
    this.seed = options.seed ?? SIMULATION_DEFAULTS.seed;
    this.startMs = Date.parse(options.startTime ?? SIMULATION_DEFAULTS.startTime);
    this.lastEndMs = this.startMs;
    this.quotas = {
      ...SIMULATION_DEFAULTS.quotas,
      ...options.quotas,
    };
    this.fleet = syntheticFleet(options);
    this.plan = planRollout(this.fleet.registry, this.fleet.releases, {
      rolloutId: `sim-${this.seed}`, releaseBucketPrefix: 'fleet-releases', now: new Date(this.startMs),
    });
    const timesOf = serviceStackTimes(options, this.seed);
    this.timesOf = timesOf;
    // The operator's setting: each service's shortest update (the first Wait after ExecuteChangeSet).
    const shortestUpdates = Object.fromEntries(this.fleet.releases.map((r, i) => [r.service, Math.min(3_600, Math.max(1, Math.floor(timesOf(i).deploySeconds.min)))]));
    this.engine = synthesizeRolloutEngine(SIMULATED_ORGANIZATION, { minimumStackUpdateSecondsByService: shortestUpdates, ...options.engine }, {
      region: SIMULATED_REGION, centralAccountId: SIMULATED_CENTRAL_ACCOUNT, tableName: SIMULATED_STATUS_TABLE,
    });
    this.statusTable = new InMemoryStatusTable(SIMULATED_STATUS_TABLE, [RELEASE_STATUS_TABLE.partitionKey, RELEASE_STATUS_TABLE.sortKey]);
    const limit = options.cloudFormationLimit ?? SIMULATION_DEFAULTS.cloudFormationLimit;
    const failing = new Set((options.failingTenants ?? []).map(tenantAccount));
    const serviceIndex = new Map(this.fleet.releases.map((r, i) => [serviceStackName(r.service), i]));
    this.aws = new SimulatedAws({
      accounts: this.fleet.registry.tenants.map((t) => t.accountId),
      organizationId: SIMULATED_ORGANIZATION,
      centralAccountId: SIMULATED_CENTRAL_ACCOUNT,
      region: SIMULATED_REGION,
      memberRoles: [FLEET_DEPLOY_ROLE_NAME],
      seed: this.seed,
      stacks: (accountId, stackName) => ({
        ...timesOf(serviceIndex.get(stackName) ?? 0),
        failureRate: failing.has(accountId) ? 1 : options.failureRate ?? SIMULATION_DEFAULTS.failureRate,
      }),
      cloudFormationLimits: { '*': { burst: limit.burst, refillPerSecond: limit.refillPerSecond } },
    });
    // What `fleet rollout start` does: the wave lists in the rollout bucket, then the control item.
    for (const wave of this.plan.waves) {
      this.aws.s3.put(this.engine.bucket, wave.itemsKey, JSON.stringify(wave.items));
      const label = `${wave.index} ${wave.ring}`;
      for (const item of wave.items) {
        this.waveOf.set(`${item.accountId}/${item.stackName}`, label);
        this.waveOfStatusKey.set(`${item.tenantId}/${serviceRegionKey(item.service, item.region)}`, label);
      }
      // The gate's alarm: in ALARM from the start for the rings named in `gateAlarms`, OK otherwise.
      const inAlarm = (options.gateAlarms ?? []).some((ring) => ring === wave.ring);
      for (const alarm of wave.gate.alarmNames) this.aws.cloudWatch.setAlarm(SIMULATED_CENTRAL_ACCOUNT, alarm, inAlarm && alarm === gateAlarmName(wave.ring) ? 'ALARM' : 'OK', 0);
    }
    this.statusTable.put({
      [RELEASE_STATUS_TABLE.partitionKey]: { S: ROLLOUT_CONTROL_PARTITION },
      [RELEASE_STATUS_TABLE.sortKey]: { S: this.plan.rolloutId },
      control: { S: options.control ?? 'RUNNING' },
    });
    this.input = rolloutInput(this.plan, this.engine.bucket);
  }

  /** The stack times of service `index` (as the simulated CloudFormation draws them). */
  stackTimesOf(index: number): ServiceStackTimes {
    return this.timesOf(index);
  }

  /** Planned deployments. */
  get planned(): number {
    return this.plan.waves.reduce((n, w) => n + w.itemCount, 0);
  }

  /** Stack updates executed per `<account>/<stack>` over every run so far. */
  executionsPerStack(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const u of this.aws.cloudFormation.updates) {
      if (u.outcome === 'unchanged') continue;
      const key = `${u.accountId}/${u.stackName}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Runs the engine once over the plan: the first run starts at `startTime`, a later one (after a
   * crash) where the previous ended, with the same organization and status table.
   */
  async run(overrides: RunOverrides = {}): Promise<SimulationRun> {
    const wallStart = process.hrtime.bigint();
    const runStartMs = this.lastEndMs;
    const crashAt = overrides.crashAtSeconds ?? (this.runs === 0 ? this.options.crashAtSeconds : undefined);
    const onProgress = overrides.onProgress ?? this.options.onProgress;
    const total = this.planned;
    let done = 0;
    let latestMs = runStartMs;
    const stateCounts = { skipped: 0, retries: 0 };
    const { options, crashed } = engineRunOptions({
      integrations: { ...this.aws.integrations(), ...this.statusTable.integrations() },
      itemReader: this.aws.itemReader,
      resultWriter: this.aws.resultWriter,
      startTime: new Date(runStartMs).toISOString(),
      region: SIMULATED_REGION,
      accountId: SIMULATED_CENTRAL_ACCOUNT,
      seed: this.seed + this.runs,
      quotas: this.quotas,
      crashAtMs: crashAt === undefined ? undefined : this.startMs + crashAt * 1000,
      executionName: `${this.plan.rolloutId}-${this.runs + 1}`,
      onStateExited: (state) => {
        if (state.stateName === 'AlreadyAtRelease' || state.stateName === 'AbortedBeforeDeploy') stateCounts.skipped++;
        if (state.stateName.endsWith('BackOff')) stateCounts.retries++;
        stateCounts.retries += state.retryCount;
      },
      observe: (request) => {
        const now = request.context.now().getTime();
        if (now > latestMs) latestMs = now;
        if (onProgress && RECORD_STATES.has(request.stateName)) {
          done++;
          const key = (request.parameters as { Key?: Record<string, { S?: string }> }).Key;
          const wave = this.waveOfStatusKey.get(`${key?.[RELEASE_STATUS_TABLE.partitionKey]?.S}/${key?.[RELEASE_STATUS_TABLE.sortKey]?.S}`) ?? '';
          onProgress({ virtualSeconds: (latestMs - this.startMs) / 1000, done, total, wave });
        }
      },
    });
    this.runs++;
    const result = await runExecution(this.engine.definition, this.input, options);
    const endMs = Date.parse(result.endTime);
    this.lastEndMs = Math.max(endMs, latestMs);
    const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
    return {
      rolloutId: this.plan.rolloutId,
      status: result.status,
      error: result.error,
      cause: result.cause,
      crashed: crashed(result.status),
      startTime: new Date(runStartMs).toISOString(),
      endTime: new Date(this.lastEndMs).toISOString(),
      virtualSeconds: (this.lastEndMs - this.startMs) / 1000,
      waves: this.waveTimeline(result.trace, result.error, crashed(result.status)),
      intervals: this.intervals(this.aws.cloudFormation.updates),
      counts: this.counts(stateCounts),
      wallSeconds,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      heapUsedBytes: process.memoryUsage().heapUsed,
    };
  }

  private seconds(iso: string): number {
    return (Date.parse(iso) - this.startMs) / 1000;
  }

  private waveTimeline(trace: readonly TraceEvent[], error: string | undefined, crashed: boolean): WaveTimeline[] {
    const top = trace.filter((t) => t.scope === '');
    const maps = top.filter((t) => t.stateName === 'DeployWave');
    const bakes = top.filter((t) => t.stateName === 'Bake');
    const gates = top.filter((t) => t.stateName === 'ReadGateAlarms');
    return this.plan.waves.map((wave, n) => {
      const base = {
        index: wave.index, label: `${wave.index} ${wave.ring}`, ring: wave.ring, services: wave.services, deployments: wave.itemCount,
        accounts: new Set(wave.items.map((i) => i.accountId)).size, maxConcurrency: wave.maxConcurrency, bakeSeconds: wave.gate.bakeSeconds,
      };
      const map = maps[n];
      if (!map) return { ...base, outcome: 'not reached' as const };
      const times = { startSeconds: this.seconds(map.enteredTime), endSeconds: this.seconds(map.exitedTime) };
      if (map.status === 'ABORTED' || (crashed && n === maps.length - 1 && map.status !== 'CAUGHT' && !bakes[n])) return { ...base, ...times, outcome: 'crashed' as const };
      if (map.status !== 'SUCCEEDED') return { ...base, ...times, outcome: 'failed' as const };
      const gate = wave.gate.alarmNames.length > 0 ? gates.find((g) => Date.parse(g.enteredTime) >= Date.parse(map.exitedTime)) : undefined;
      const gateEnd = gate?.exitedTime ?? bakes[n]?.exitedTime;
      const gateEndSeconds = gateEnd === undefined ? undefined : this.seconds(gateEnd);
      const halted = n === maps.length - 1 && (error === 'Fleet.GateInAlarm' || error === 'Fleet.GateAlarmMissing' || error === 'Fleet.GateSilent');
      return { ...base, ...times, gateEndSeconds, outcome: halted ? 'halted at gate' as const : crashed && n === maps.length - 1 ? 'crashed' as const : 'passed' as const };
    });
  }

  private intervals(updates: readonly StackUpdateRecord[]): StackUpdateInterval[] {
    return updates.map((u) => ({
      wave: this.waveOf.get(`${u.accountId}/${u.stackName}`) ?? '',
      account: u.accountId,
      service: u.stackName.replace(/^fleet-/, ''),
      startSeconds: (u.startMs - this.startMs) / 1000,
      endSeconds: (u.endMs - this.startMs) / 1000,
      // An unchanged record spans its change set already.
      ...(u.outcome === 'unchanged' ? {} : { changeSetSeconds: u.changeSetMs / 1000 }),
      outcome: u.outcome === 'rolled-back' ? 'failed' : u.outcome,
    }));
  }

  private counts({ skipped, retries }: { skipped: number; retries: number }): SimulationCounts {
    const status = new Map<string, number>();
    let recorded = 0;
    for (const item of this.statusTable.scan()) {
      if (itemString(item, RELEASE_STATUS_TABLE.partitionKey) === ROLLOUT_CONTROL_PARTITION) continue;
      if (!this.waveOfStatusKey.has(`${itemString(item, RELEASE_STATUS_TABLE.partitionKey)}/${itemString(item, RELEASE_STATUS_TABLE.sortKey)}`)) continue;
      recorded++;
      const s = itemString(item, 'status') ?? '';
      status.set(s, (status.get(s) ?? 0) + 1);
    }
    return {
      planned: this.planned,
      deployed: status.get('DEPLOYED') ?? 0,
      unchanged: status.get('UNCHANGED') ?? 0,
      failed: (status.get('FAILED') ?? 0) + (status.get('ROLLED_BACK') ?? 0),
      skipped,
      inProgress: status.get('IN_PROGRESS') ?? 0,
      notReached: this.planned - recorded,
      throttledCalls: this.aws.throttled,
      retries,
      cloudFormationCalls: this.aws.calls(undefined, 'cloudformation'),
      stackUpdates: this.aws.cloudFormation.updates.filter((u) => u.outcome !== 'unchanged').length,
    };
  }
}

/** Runs one simulated rollout and returns its timeline. */
export async function simulateRollout(options: SimulationOptions): Promise<SimulationRun> {
  return new FleetSimulation(options).run();
}

function itemString(item: StatusItem, name: string): string | undefined {
  const v = item[name] as { S?: unknown } | undefined;
  return typeof v?.S === 'string' ? v.S : undefined;
}

/** Stack times per service index: the given ones, or the defaults scaled by a seeded factor per service. */
function serviceStackTimes(options: SimulationOptions, seed: number): (serviceIndex: number) => ServiceStackTimes {
  const given = options.stackTimes;
  if (typeof given === 'function') return given;
  const base = given ?? SIMULATION_DEFAULTS.stackTimes;
  const spread = options.stackTimeSpread ?? SIMULATION_DEFAULTS.stackTimeSpread;
  const cache = new Map<number, ServiceStackTimes>();
  return (i) => {
    let times = cache.get(i);
    if (!times) {
      const f = 1 + spread * (2 * drawUnit(seed, 'service-stack-times', serviceName(i)) - 1);
      const scale = (r: { min: number; max: number }) => ({ min: r.min * f, max: r.max * f });
      times = { changeSetSeconds: scale(base.changeSetSeconds), deploySeconds: scale(base.deploySeconds), rollbackSeconds: scale(base.rollbackSeconds) };
      cache.set(i, times);
    }
    return times;
  };
}
