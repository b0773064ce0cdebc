import { Problem } from '@fleet/contracts';

/**
 * The AWS limits a fleet rollout runs into, every one a parameter. Defaults are the published
 * eu-west-1 figures (also us-east-1 and us-west-2) from `shared/reference/rollout-facts.md`;
 * "(unverified)" marks a figure no current AWS page confirms.
 */
export interface FleetQuotas {
  /**
   * Step Functions Standard state transitions of the central account, a token bucket.
   * @default { bucket: 5000, refillPerSecond: 5000 } (Step Functions Developer Guide, "service quotas"; 800/800 in other Regions)
   */
  readonly stateTransitions: { readonly bucket: number; readonly refillPerSecond: number };
  /**
   * Distributed Map: Standard child executions started per second by one Map Run.
   * @default 100 (Developer Guide, "Distributed Map"; Express children 1,000/s)
   */
  readonly distributedMapChildStartsPerSecond: number;
  /**
   * Distributed Map: child executions running at once in one Map Run.
   * @default 10000 (Developer Guide, "Distributed Map")
   */
  readonly maxChildrenPerMapRun: number;
  /**
   * CloudFormation API calls per tenant account and per API, a token bucket (calls made with a
   * role assumed in the tenant account are charged to that account).
   * @default { burst: 10, refillPerSecond: 5 } (unverified: AWS publishes no CloudFormation rate; users report DescribeStacks near 5/s)
   */
  readonly cloudFormationApi: { readonly burst: number; readonly refillPerSecond: number };
  /**
   * StackSets: stack-instance operations at once per administrator account and Region, over all stack sets.
   * @default 10000 (CloudFormation User Guide, "quotas")
   */
  readonly stackSetOperationsPerRegion: number;
  /**
   * StackSets: stack instances deployed at once by one stack set.
   * @default 100 (an older CloudFormation guide: "100 concurrent stack instances per stack set"; unverified today)
   */
  readonly stackSetMaxConcurrentPerStackSet: number;
}

/** {@link FleetQuotas} with the eu-west-1 figures of `rollout-facts.md`. */
export const FLEET_QUOTA_DEFAULTS: FleetQuotas = Object.freeze({
  stateTransitions: Object.freeze({ bucket: 5000, refillPerSecond: 5000 }),
  distributedMapChildStartsPerSecond: 100,
  maxChildrenPerMapRun: 10_000,
  cloudFormationApi: Object.freeze({ burst: 10, refillPerSecond: 5 }),
  stackSetOperationsPerRegion: 10_000,
  stackSetMaxConcurrentPerStackSet: 100,
});

/** `quotas` over the defaults (nested buckets merged field by field), with a problem for every value that is not a positive number. */
export function resolveQuotas(quotas: Partial<FleetQuotas> | undefined, subject: string, problems: Problem[]): FleetQuotas {
  const q = quotas ?? {};
  const resolved: FleetQuotas = {
    stateTransitions: { ...FLEET_QUOTA_DEFAULTS.stateTransitions, ...q.stateTransitions },
    distributedMapChildStartsPerSecond: q.distributedMapChildStartsPerSecond ?? FLEET_QUOTA_DEFAULTS.distributedMapChildStartsPerSecond,
    maxChildrenPerMapRun: q.maxChildrenPerMapRun ?? FLEET_QUOTA_DEFAULTS.maxChildrenPerMapRun,
    cloudFormationApi: { ...FLEET_QUOTA_DEFAULTS.cloudFormationApi, ...q.cloudFormationApi },
    stackSetOperationsPerRegion: q.stackSetOperationsPerRegion ?? FLEET_QUOTA_DEFAULTS.stackSetOperationsPerRegion,
    stackSetMaxConcurrentPerStackSet: q.stackSetMaxConcurrentPerStackSet ?? FLEET_QUOTA_DEFAULTS.stackSetMaxConcurrentPerStackSet,
  };
  const check = (path: string, value: number, allowZero = false) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      problems.push({ subject: `${subject}.${path}`, problem: allowZero ? 'must be a number of zero or more' : 'must be a positive number', value, fix: `Pass the quota as a number, or leave it out for the default (${defaultAt(path)})` });
    }
  };
  check('stateTransitions.bucket', resolved.stateTransitions.bucket, true);
  check('stateTransitions.refillPerSecond', resolved.stateTransitions.refillPerSecond);
  check('distributedMapChildStartsPerSecond', resolved.distributedMapChildStartsPerSecond);
  check('maxChildrenPerMapRun', resolved.maxChildrenPerMapRun);
  check('cloudFormationApi.burst', resolved.cloudFormationApi.burst, true);
  check('cloudFormationApi.refillPerSecond', resolved.cloudFormationApi.refillPerSecond);
  check('stackSetOperationsPerRegion', resolved.stackSetOperationsPerRegion);
  check('stackSetMaxConcurrentPerStackSet', resolved.stackSetMaxConcurrentPerStackSet);
  return resolved;
}

function defaultAt(path: string): number {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], FLEET_QUOTA_DEFAULTS) as number;
}
