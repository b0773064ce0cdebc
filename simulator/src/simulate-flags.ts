/**
 * The flags of `fleet rollout simulate`, checked all at once: each problem names the flag, shows
 * the value and says the fix (`formatProblem` of @fleet/contracts).
 */
import { formatProblem, Problem } from '@fleet/contracts';
import { RingName, SIMULATION_DEFAULTS, SimulationOptions } from './simulation-options';

/** The flags as commander hands them over (strings; `--gate-alarm` may repeat). */
export interface SimulateFlags {
  readonly tenants?: string;
  readonly services?: string;
  readonly levels?: string;
  readonly failureRate?: string;
  readonly throttle?: string;
  readonly maxWaveSize?: string;
  readonly concurrency?: string;
  readonly canary?: string;
  readonly bake?: string;
  readonly gateAlarm?: readonly string[];
  readonly seed?: string;
  readonly chart?: string;
  readonly json?: boolean;
}

export interface SimulateCommandOptions {
  readonly simulation: SimulationOptions;
  /** Where the SVG goes; undefined: `.fleet/simulations/<stamp>.svg`. */
  readonly chart?: string;
  readonly json: boolean;
}

export const DEFAULT_SIMULATED_TENANTS = 1_000;
/** CloudFormation allows 2,000 stacks per account (rollout-facts.md); one stack per service. */
const MAX_SERVICES = 2_000;
const MAX_TENANTS = 100_000;
/**
 * Each flag is bounded alone; their product is what costs memory. 6,000 x 20 (120,000
 * deployments) peaks at about 1.2-2 GiB (docs/benchmarks.md, bench:rollout), and Node's default
 * heap stops near 4 GiB, so a run past this many deployments would die after minutes of work.
 */
export const MAX_SIMULATED_DEPLOYMENTS = 250_000;
const GATED_RINGS: readonly RingName[] = ['canary', 'early'];

/** Several problems with the flags, reported together. */
export class SimulationOptionsError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = new.target.name;
  }
}

export function parseSimulateFlags(flags: SimulateFlags): SimulateCommandOptions {
  const problems: Problem[] = [];
  const integer = (flag: string, raw: string | undefined, min: number, max: number, fix: string): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      problems.push({ subject: flag, problem: `must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`, value: raw, fix });
      return undefined;
    }
    return n;
  };
  const decimal = (flag: string, raw: string | undefined, ok: (n: number) => boolean, what: string, fix: string): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || !ok(n)) {
      problems.push({ subject: flag, problem: `must be ${what}`, value: raw, fix });
      return undefined;
    }
    return n;
  };

  const tenants = integer('--tenants', flags.tenants, 1, MAX_TENANTS, 'give the number of tenant accounts, for example --tenants 6000') ?? DEFAULT_SIMULATED_TENANTS;
  const services = integer('--services', flags.services, 1, MAX_SERVICES, 'give the number of services per account (a stack each; CloudFormation allows 2,000 stacks per account), for example --services 20');
  const deployments = tenants * (services ?? SIMULATION_DEFAULTS.services);
  if (deployments > MAX_SIMULATED_DEPLOYMENTS) {
    problems.push({
      subject: '--tenants x --services', problem: `must be at most ${MAX_SIMULATED_DEPLOYMENTS.toLocaleString('en-US')} deployments (one machine's memory: about 10 KiB each)`,
      value: `${tenants} x ${services ?? SIMULATION_DEFAULTS.services} = ${deployments.toLocaleString('en-US')}`,
      fix: `give fewer tenants or services, for example --tenants ${Math.floor(MAX_SIMULATED_DEPLOYMENTS / (services ?? SIMULATION_DEFAULTS.services))} --services ${services ?? SIMULATION_DEFAULTS.services}; a rollout's duration grows about linearly past that, so simulate a sample of the fleet`,
    });
  }
  const levels = integer('--levels', flags.levels, 1, MAX_SERVICES, 'give 1 for independent services, or the number of dependency levels (at most --services), for example --levels 2');
  if (levels !== undefined && services !== undefined && levels > services) {
    problems.push({ subject: '--levels', problem: `cannot exceed --services (${services})`, value: flags.levels, fix: `give at most ${services}` });
  }
  const failureRate = decimal('--failure-rate', flags.failureRate, (n) => n >= 0 && n <= 1, 'a probability from 0 to 1', 'give the share of stack updates that fail, for example --failure-rate 0.01');
  const throttle = decimal('--throttle', flags.throttle, (n) => n > 0 && n <= 10_000, 'a rate above 0 and at most 10000 calls per second', 'give the CloudFormation API refill per second and account, for example --throttle 5 (the unverified figure users report)');
  const maxWaveSize = integer('--max-wave-size', flags.maxWaveSize, 1, 10_000_000, 'give the largest number of deployments in one wave (leave it out for one wave per ring and dependency level), for example --max-wave-size 5000');
  const concurrency = integer('--concurrency', flags.concurrency, 1, 10_000, 'give the deployments running at once per wave (a Distributed Map runs at most 10,000 children at once), for example --concurrency 1000');
  const bake = integer('--bake', flags.bake, 0, 10_080, 'give the bake minutes before each ring\'s gate, for example --bake 60');
  const seed = integer('--seed', flags.seed, 0, 2 ** 31 - 1, 'give a whole number, for example --seed 7');

  let canaryTenants: number | undefined;
  if (flags.canary !== undefined) {
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(flags.canary.trim());
    if (percent) {
      const p = Number(percent[1]);
      if (p <= 0 || p > 100) problems.push({ subject: '--canary', problem: 'must be a percentage above 0 and at most 100', value: flags.canary, fix: 'give a share of the tenants, for example --canary 1%, or a count, for example --canary 10' });
      else canaryTenants = Math.max(1, Math.round((tenants * p) / 100));
    } else {
      canaryTenants = integer('--canary', flags.canary, 1, tenants, `give a count from 1 to the tenants (${tenants}), for example --canary 10, or a share, for example --canary 1%`);
    }
  }

  const gateAlarms: RingName[] = [];
  for (const ring of flags.gateAlarm ?? []) {
    if (GATED_RINGS.includes(ring as RingName)) gateAlarms.push(ring as RingName);
    else problems.push({ subject: '--gate-alarm', problem: 'must name a ring with a gate (canary or early; main is last and has none)', value: ring, fix: 'give --gate-alarm canary or --gate-alarm early' });
  }

  if (flags.chart !== undefined && !/\.svg$/i.test(flags.chart)) {
    problems.push({ subject: '--chart', problem: 'must be a file name ending in .svg', value: flags.chart, fix: 'give a file such as --chart rollout.svg' });
  }

  if (problems.length > 0) throw new SimulationOptionsError(problems);
  const simulation: SimulationOptions = {
    tenants,
    ...(services !== undefined ? { services } : {}),
    ...(levels !== undefined ? { dependencyLevels: levels } : {}),
    ...(failureRate !== undefined ? { failureRate } : {}),
    ...(throttle !== undefined ? { cloudFormationLimit: { refillPerSecond: throttle, burst: Math.max(1, Math.round(throttle * 2)) } } : {}),
    ...(maxWaveSize !== undefined ? { maxWaveSize } : {}),
    ...(concurrency !== undefined ? { maxConcurrency: { canary: concurrency, early: concurrency, main: concurrency } } : {}),
    ...(canaryTenants !== undefined ? { canaryTenants } : {}),
    ...(bake !== undefined ? { bakeMinutes: bake } : {}),
    ...(gateAlarms.length > 0 ? { gateAlarms } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  return { simulation, chart: flags.chart, json: flags.json === true };
}
