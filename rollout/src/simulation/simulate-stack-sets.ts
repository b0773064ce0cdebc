import { Problem } from '@fleet/contracts';
import { CompletionQueue } from './completion-queue';
import { FleetQuotas, resolveQuotas } from './fleet-quotas';
import { seededDraw } from './seeded-draw';
import { isIntegerAtLeast, throwIfProblems } from './simulation-input-error';
import { StackTimes, stackTimesProblems } from './stack-times';
import { StackUpdateInterval } from './stack-update-interval';

/** A count, or a percentage of the accounts of one Region (StackSets' *Count / *Percentage pairs). */
export type CountOrPercentage = number | { readonly percentage: number };

/** The fleet and the operation preferences the StackSets model runs. */
export interface StackSetsModelOptions {
  /** Tenant accounts; every stack set has one instance per tenant and Region. */
  readonly tenants: number;
  /** Services: one stack set each. */
  readonly services: number;
  /**
   * Services split evenly into this many dependency levels run one after the other (a level
   * starts when every stack set of the level before has finished, as AutoDeployment.DependsOn or
   * a sequential pipeline forces); stack sets of one level run at the same time.
   * @default 1 (no dependencies: every stack set at once, StackSets' most favourable case)
   */
  readonly dependencyLevels?: number;
  /** ConcurrencyMode: `STRICT` = STRICT_FAILURE_TOLERANCE (the AWS default), `SOFT` = SOFT_FAILURE_TOLERANCE. */
  readonly mode: 'STRICT' | 'SOFT';
  /** FailureToleranceCount, or FailureTolerancePercentage of a Region's accounts (rounded down, may be 0). */
  readonly failureTolerance: CountOrPercentage;
  /** MaxConcurrentCount, or MaxConcurrentPercentage of a Region's accounts (rounded down, never to zero). */
  readonly maxConcurrent: CountOrPercentage;
  /** Chance that one stack-instance update fails (its time is still spent).
   * @default 0 */
  readonly failureRate?: number;
  readonly stackTimes: StackTimes;
  /**
   * Each service's own ranges, in service order (one per service), when services differ: the
   * engine's simulation scales each service's times by its own factor, and drawing every
   * service from the envelope of all of them would make StackSets slower than the same times.
   * @default `stackTimes` for every service
   */
  readonly serviceStackTimes?: readonly StackTimes[];
  /** @default FLEET_QUOTA_DEFAULTS */
  readonly quotas?: Partial<FleetQuotas>;
  /** Regions per tenant, deployed SEQUENTIAL (RegionConcurrencyType's default): a stack set moves to the next Region when one is done.
   * @default 1 */
  readonly regions?: number;
  /** Seeds the stack times and failures drawn per (service, Region, account). */
  readonly seed: number;
  /**
   * Gate the release as the engine does: the tenants, in account order, split into rings run one
   * after the other; per ring, one operation per stack set over the ring's accounts (dependency
   * levels in order), then the ring's bake before the next ring (none after the last). The
   * tenant counts must add up to `tenants`.
   * @default one ring of every tenant, no bake (StackSets' most favourable, ungated case)
   */
  readonly rings?: readonly StackSetsRing[];
  /**
   * Seconds StackSets adds to every stack-instance update beyond the stack's own time (queueing,
   * its own calls and polling). No AWS page gives a figure; users report "with 800+ accounts a
   * stack set takes ~30 min even when nothing changed" (aws-control-tower-customizations #174),
   * but without the concurrency used, so no per-instance value follows from it (unverified).
   * @default 0 (StackSets' most favourable case)
   */
  readonly instanceOverheadSeconds?: number;
}

/** One ring of a gated StackSets release. */
export interface StackSetsRing {
  /** Shown in the run's `wave` labels (`<label> level <n>`). @default `ring <n>` */
  readonly label?: string;
  /** Accounts in the ring (the next ones in account order). */
  readonly tenants: number;
  /** The bake after the ring, before the next ring starts (ignored after the last). */
  readonly bakeSeconds: number;
}

/** One stack set's operation in one Region. */
export interface StackSetRun {
  readonly service: string;
  readonly region: string;
  /** The ring's label, when the model runs rings. */
  readonly ring?: string;
  /** 1-based dependency level. */
  readonly level: number;
  /** The concurrency the operation starts with, after rounding, quotas and (STRICT) tolerance + 1. */
  readonly concurrency: number;
  /** The failure tolerance after rounding. */
  readonly tolerance: number;
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly deployed: number;
  readonly failed: number;
  /** Failures passed the tolerance: the operation stopped and its later Regions were not tried. */
  readonly stopped: boolean;
}

export interface StackSetsModelResult {
  /** When the last stack-instance update ended. */
  readonly totalSeconds: number;
  /** Every stack-instance update tried, in the order they started; `wave` is `level <n>`. */
  readonly intervals: StackUpdateInterval[];
  /** An operation stopped on failures: later Regions and later dependency levels were not deployed. */
  readonly stoppedEarly: boolean;
  readonly failed: number;
  readonly deployed: number;
  /** Stack instances never tried because an operation stopped. */
  readonly notStarted: number;
  readonly runs: readonly StackSetRun[];
}

interface Run {
  readonly service: number;
  readonly tolerance: number;
  readonly base: number;
  region: number;
  next: number;
  inFlight: number;
  failed: number;
  deployed: number;
  stopped: boolean;
  done: boolean;
  /** In its Region's line for a free operation slot. */
  waiting: boolean;
  startSeconds: number;
}

const SOURCE = 'simulateStackSets';

/**
 * A seeded discrete-event model of releasing one template per service through CloudFormation
 * StackSets, one stack set per service, under the same stack times and quotas as the engine.
 *
 * Each stack set starts instances in account order, a new one whenever a slot frees (as
 * StackSets does), up to its concurrency: MaxConcurrent rounded down (never to zero), capped by
 * `stackSetMaxConcurrentPerStackSet` and, over all stack sets of a Region,
 * `stackSetOperationsPerRegion`.
 * - STRICT_FAILURE_TOLERANCE runs at most tolerance + 1 at once and, after each failure, at most
 *   tolerance + 1 - failures (so tolerance 0 is one account at a time); SOFT keeps MaxConcurrent.
 * - In both, once failures pass the tolerance no new instance starts; those in flight finish;
 *   later Regions of that stack set and later dependency levels are not tried.
 * (CloudFormation User Guide, "quotas"; API `StackSetOperationPreferences`; What's New 2023-11.)
 *
 * With `rings`, the release is gated as the engine gates it: per ring one operation per stack
 * set over the ring's accounts (levels in order), then the ring's bake; a stop ends the release.
 * Per instance the model spends the drawn stack time plus `instanceOverheadSeconds` (default 0:
 * no published figure), so its StackSets is as fast as StackSets could be under the quotas.
 *
 * One event loop serves both the failing and the clean case: it costs O(n log c) for n
 * instances and c in flight (6,000 x 20 in tens of milliseconds), so a separate closed form for
 * the clean case would only be a second implementation to keep equal.
 * @throws SimulationInputError with every bad option at once
 */
export function simulateStackSets(options: StackSetsModelOptions): StackSetsModelResult {
  const problems = optionProblems(options);
  const q = resolveQuotas(options?.quotas, 'quotas', problems);
  throwIfProblems(problems, SOURCE);

  const { tenants, services, mode, stackTimes, seed } = options;
  const levels = options.dependencyLevels ?? 1;
  const regions = options.regions ?? 1;
  const failureRate = options.failureRate ?? 0;
  const overhead = options.instanceOverheadSeconds ?? 0;
  const rings: readonly StackSetsRing[] = options.rings ?? [{ tenants, bakeSeconds: 0 }];
  const gated = options.rings !== undefined;
  // Percentages are of the accounts an operation targets: the ring's, in one Region.
  const toleranceOf = (accounts: number) => typeof options.failureTolerance === 'number' ? options.failureTolerance : Math.floor((options.failureTolerance.percentage / 100) * accounts);
  const baseOf = (accounts: number, tolerance: number) => {
    const requested = typeof options.maxConcurrent === 'number' ? options.maxConcurrent : Math.max(1, Math.floor((options.maxConcurrent.percentage / 100) * accounts));
    const base = Math.min(requested, q.stackSetMaxConcurrentPerStackSet, q.stackSetOperationsPerRegion);
    return mode === 'STRICT' ? Math.min(base, tolerance + 1) : base;
  };
  const limitOf = mode === 'STRICT' ? (r: Run) => Math.min(r.base, r.tolerance + 1 - r.failed) : (r: Run) => r.base;

  const pad = (n: number, of: number) => String(n).padStart(String(of).length, '0');
  const accountNames = Array.from({ length: tenants }, (_, a) => `tenant-${pad(a + 1, tenants)}`);
  const serviceNames = Array.from({ length: services }, (_, s) => `service-${pad(s + 1, services)}`);
  const regionNames = Array.from({ length: regions }, (_, r) => `region-${r + 1}`);
  const timesOf = Array.from({ length: services }, (_, i) => options.serviceStackTimes?.[i] ?? stackTimes);

  const intervals: StackUpdateInterval[] = [];
  const runOf: Run[] = [];
  const runs: StackSetRun[] = [];
  let clock = 0;
  let stoppedEarly = false;
  let failedTotal = 0;
  let deployedTotal = 0;
  let ringStart = 0;

  for (let ringIndex = 0; ringIndex < rings.length && !stoppedEarly; ringIndex++) {
    const ring = rings[ringIndex];
    const first = ringStart;
    const end = ringStart + ring.tenants;
    ringStart = end;
    const tolerance = toleranceOf(ring.tenants);
    const base = baseOf(ring.tenants, tolerance);
    const ringLabel = ring.label ?? `ring ${ringIndex + 1}`;
    for (let level = 0; level < levels && !stoppedEarly && ring.tenants > 0; level++) {
      const wave = gated ? `${ringLabel} level ${level + 1}` : `level ${level + 1}`;
      const levelRuns: Run[] = [];
      for (let s = 0; s < services; s++) {
        if (Math.floor((s * levels) / services) !== level) continue;
        levelRuns.push({ service: s, tolerance, base, region: 0, next: first, inFlight: 0, failed: 0, deployed: 0, stopped: false, done: false, waiting: false, startSeconds: clock });
      }
      const regionInFlight = new Array<number>(regions).fill(0);
      const queue = new CompletionQueue();
      // A stack set held back because its Region was at `stackSetOperationsPerRegion` waits in that
      // Region's line (first come, first served) for any completion there; otherwise only the run
      // that freed a slot can start more, so a completion costs O(1) runs, not O(stack sets).
      const waiting: Run[][] = Array.from({ length: regions }, () => []);
      const startMore = (run: Run, now: number) => {
        while (!run.done && !run.stopped && run.next < end && run.inFlight < limitOf(run)) {
          if (regionInFlight[run.region] >= q.stackSetOperationsPerRegion) {
            if (!run.waiting) {
              run.waiting = true;
              waiting[run.region].push(run);
            }
            return;
          }
          const a = run.next++;
          const { changeSetSeconds: cs, deploySeconds: dep } = timesOf[run.service];
          const seconds = overhead + cs.min + seededDraw(seed, run.service, run.region, a, 0) * (cs.max - cs.min) + dep.min + seededDraw(seed, run.service, run.region, a, 1) * (dep.max - dep.min);
          const failed = failureRate > 0 && seededDraw(seed, run.service, run.region, a, 2) < failureRate;
          run.inFlight++;
          regionInFlight[run.region]++;
          // The update's end is known when it starts: record it now, and queue only its index.
          const outcome = failed ? 'failed' : 'deployed';
          const endSeconds = now + seconds;
          queue.push(endSeconds, intervals.length);
          runOf.push(run);
          intervals.push(regions > 1
            ? { wave, account: accountNames[a], service: serviceNames[run.service], region: regionNames[run.region], startSeconds: now, endSeconds, outcome }
            : { wave, account: accountNames[a], service: serviceNames[run.service], startSeconds: now, endSeconds, outcome });
        }
      };
      const fill = (now: number, freed: readonly Run[]) => {
        for (let r = 0; r < regions; r++) {
          while (waiting[r].length > 0 && regionInFlight[r] < q.stackSetOperationsPerRegion) {
            const run = waiting[r].shift()!;
            run.waiting = false;
            startMore(run, now);
          }
        }
        for (const run of freed) startMore(run, now);
      };
      fill(clock, levelRuns);
      let levelEnd = clock;
      while (queue.size > 0) {
        // Every update ending at this instant ends before any new one starts, so a burst of
        // simultaneous failures stops the operation as it would at AWS (no start squeezed in between).
        const now = queue.peekTime();
        const freed: Run[] = [];
        while (queue.size > 0 && queue.peekTime() === now) {
          const index = queue.pop();
          const run = runOf[index];
          run.inFlight--;
          regionInFlight[run.region]--;
          if (intervals[index].outcome === 'failed') {
            run.failed++;
            failedTotal++;
            if (run.failed > run.tolerance) run.stopped = true;
          } else {
            run.deployed++;
            deployedTotal++;
          }
          if (!freed.includes(run)) freed.push(run);
        }
        for (const run of freed) {
          if (run.inFlight > 0 || (!run.stopped && run.next < end)) continue;
          runs.push({
            service: serviceNames[run.service], region: regionNames[run.region], ...(gated ? { ring: ringLabel } : {}), level: level + 1,
            concurrency: run.base, tolerance: run.tolerance, startSeconds: run.startSeconds, endSeconds: now, deployed: run.deployed, failed: run.failed, stopped: run.stopped,
          });
          if (run.stopped) {
            // "When one Region fails, later Regions are not tried" (StackSetOperationPreferences).
            run.done = true;
            stoppedEarly = true;
          } else if (run.region + 1 < regions) {
            Object.assign(run, { region: run.region + 1, next: first, failed: 0, deployed: 0, startSeconds: now });
          } else {
            run.done = true;
          }
        }
        levelEnd = now;
        fill(now, freed);
      }
      clock = levelEnd;
    }
    // The same bake the engine's gate waits, after every ring but the last (and not after a stop).
    if (!stoppedEarly && ringIndex < rings.length - 1) clock += ring.bakeSeconds;
  }
  const total = tenants * services * regions;
  return { totalSeconds: clock, intervals, stoppedEarly, failed: failedTotal, deployed: deployedTotal, notStarted: total - intervals.length, runs };
}

function optionProblems(o: StackSetsModelOptions): Problem[] {
  if (o === null || typeof o !== 'object') return [{ subject: 'options', problem: 'must be an object', value: o, fix: 'Pass { tenants, services, mode, failureTolerance, maxConcurrent, stackTimes, seed }' }];
  const problems: Problem[] = [];
  const wholeAtLeast = (name: string, value: unknown, min: number, fix: string) => {
    if (!isIntegerAtLeast(value, min)) problems.push({ subject: name, problem: `must be a whole number of ${min} or more`, value, fix });
  };
  wholeAtLeast('tenants', o.tenants, 1, 'Give the number of tenant accounts');
  wholeAtLeast('services', o.services, 1, 'Give the number of services (one stack set each)');
  if (o.dependencyLevels !== undefined) {
    const max = isIntegerAtLeast(o.services, 1) ? o.services : Infinity;
    if (!isIntegerAtLeast(o.dependencyLevels, 1) || o.dependencyLevels > max) problems.push({ subject: 'dependencyLevels', problem: `must be a whole number from 1 to services (${o.services})`, value: o.dependencyLevels, fix: 'Give the number of dependency levels, at most one per service, or leave it out for 1' });
  }
  if (o.regions !== undefined) wholeAtLeast('regions', o.regions, 1, 'Give the Regions per tenant, or leave it out for 1');
  if (o.mode !== 'STRICT' && o.mode !== 'SOFT') problems.push({ subject: 'mode', problem: "must be 'STRICT' or 'SOFT'", value: o.mode, fix: "Use 'STRICT' for STRICT_FAILURE_TOLERANCE or 'SOFT' for SOFT_FAILURE_TOLERANCE" });
  problems.push(...countOrPercentageProblems('failureTolerance', o.failureTolerance, 0, 'Give FailureToleranceCount as a whole number (0 stops at the first failure) or { percentage } from 0 to 100'));
  problems.push(...countOrPercentageProblems('maxConcurrent', o.maxConcurrent, 1, 'Give MaxConcurrentCount as a whole number of 1 or more or { percentage } above 0, at most 100'));
  if (o.failureRate !== undefined && !(typeof o.failureRate === 'number' && o.failureRate >= 0 && o.failureRate <= 1)) problems.push({ subject: 'failureRate', problem: 'must be a number from 0 to 1', value: o.failureRate, fix: 'Give the chance that one stack update fails, e.g. 0.01, or leave it out for 0' });
  if (!(typeof o.seed === 'number' && Number.isInteger(o.seed))) problems.push({ subject: 'seed', problem: 'must be a whole number', value: o.seed, fix: 'Pass a whole number; the same seed gives the same run' });
  problems.push(...stackTimesProblems(o.stackTimes, 'stackTimes'));
  if (o.serviceStackTimes !== undefined) {
    if (!Array.isArray(o.serviceStackTimes) || o.serviceStackTimes.length !== o.services) problems.push({ subject: 'serviceStackTimes', problem: `must be an array of one StackTimes per service (${o.services})`, value: Array.isArray(o.serviceStackTimes) ? `${o.serviceStackTimes.length} entries` : o.serviceStackTimes, fix: 'Pass each service\'s ranges in service order, or leave it out to use stackTimes for all' });
    else o.serviceStackTimes.forEach((t, i) => problems.push(...stackTimesProblems(t, `serviceStackTimes[${i}]`)));
  }
  if (o.instanceOverheadSeconds !== undefined && !(typeof o.instanceOverheadSeconds === 'number' && Number.isFinite(o.instanceOverheadSeconds) && o.instanceOverheadSeconds >= 0)) {
    problems.push({ subject: 'instanceOverheadSeconds', problem: 'must be a number of seconds, zero or more', value: o.instanceOverheadSeconds, fix: 'Give the seconds StackSets adds per stack instance, or leave it out for 0 (no published figure)' });
  }
  if (o.rings !== undefined) {
    if (!Array.isArray(o.rings) || o.rings.length === 0) problems.push({ subject: 'rings', problem: 'must be a non-empty array of rings', value: o.rings, fix: 'Pass one { tenants, bakeSeconds } per ring, in order, or leave it out for one ungated operation per stack set' });
    else {
      o.rings.forEach((ring, i) => {
        if (!isIntegerAtLeast(ring?.tenants, 0)) problems.push({ subject: `rings[${i}].tenants`, problem: 'must be a whole number of zero or more', value: ring?.tenants, fix: 'Count the accounts of the ring' });
        if (!(typeof ring?.bakeSeconds === 'number' && Number.isFinite(ring.bakeSeconds) && ring.bakeSeconds >= 0)) problems.push({ subject: `rings[${i}].bakeSeconds`, problem: 'must be a number of seconds, zero or more', value: ring?.bakeSeconds, fix: 'Give the bake after the ring in seconds (0 for none)' });
      });
      const sum = o.rings.reduce((n, ring) => n + (typeof ring?.tenants === 'number' ? ring.tenants : 0), 0);
      if (isIntegerAtLeast(o.tenants, 1) && sum !== o.tenants) problems.push({ subject: 'rings', problem: `hold ${sum} tenants in all, not the ${o.tenants} of tenants`, fix: 'Make the rings\' tenant counts add up to tenants' });
    }
  }
  return problems;
}

function countOrPercentageProblems(name: string, value: CountOrPercentage, minCount: number, fix: string): Problem[] {
  if (typeof value === 'number') return isIntegerAtLeast(value, minCount) ? [] : [{ subject: name, problem: `must be a whole number of ${minCount} or more`, value, fix }];
  const p = value !== null && typeof value === 'object' ? value.percentage : undefined;
  const ok = typeof p === 'number' && p <= 100 && (minCount === 0 ? p >= 0 : p > 0);
  return ok ? [] : [{ subject: name, problem: minCount === 0 ? 'must be a count or { percentage } from 0 to 100' : 'must be a count or { percentage } above 0, at most 100', value, fix }];
}
