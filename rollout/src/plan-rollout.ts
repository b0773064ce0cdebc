import {
  FLEET_DEPLOY_ROLE_NAME, releaseChangeSetName, ReleaseManifest, RELEASE_KEYS, ROLLOUT_KEYS, RolloutInput, RolloutItem,
  RolloutWave, serviceRegionKey, serviceStackName,
} from '@fleet/contracts';
import { partitionOf, s3Host } from './aws-regions';
import { isWindowOpen } from './deployment-window';
import { TenantDeclaration, TenantRegistry } from './tenant-registry';

/** Why a (tenant, service, Region) is left out of a rollout. */
export type SkipReason = 'frozen' | 'pinned' | 'outside-window' | 'at-release';

export interface SkippedDeployment {
  readonly tenantId: string;
  readonly service: string;
  readonly region: string;
  readonly reason: SkipReason;
  /** One line for people, e.g. "pinned to scan-ingest-0123456789abcdef". */
  readonly detail: string;
}

/** A wave as planned: the contract's `RolloutWave` plus its items and the services it deploys. */
export interface PlannedWave extends RolloutWave {
  readonly services: readonly string[];
  readonly items: readonly RolloutItem[];
}

export interface RolloutPlan {
  readonly rolloutId: string;
  readonly waves: readonly PlannedWave[];
  readonly skipped: readonly SkippedDeployment[];
}

export interface PlanOptions {
  readonly rolloutId: string;
  /** The release buckets' name prefix (control plane output `ReleaseBucketPrefix`); a bucket per Region: `<prefix>-<region>`. */
  readonly releaseBucketPrefix: string;
  /** Plan time: deployment windows are read at this instant. */
  readonly now: Date;
  /** The release deployed per `tenantId` and `serviceRegionKey(service, region)` (status table); leave out to skip nothing as deployed. */
  readonly deployed?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The substitution in a release parameter value for the Region deployed to (a failure bus and DLQ exist per Region). */
export const REGION_PLACEHOLDER = '{region}';
const DEFAULT_MONITORING_MINUTES = 10;

/**
 * The rollout of `releases` over a valid `registry` (pure: no clock, no I/O). Rings go in declared
 * order, the canary ring first with tolerance 0. Inside a ring, services go in dependency levels
 * (a service's wave comes after the waves of what it depends on, so every tenant gets its
 * dependencies first). A ring's level is one wave whatever its size: a Map Run reads any number of
 * items and runs at most MaxConcurrency (<= 10,000) of them at once, so the 10,000 cap is on
 * children in flight, not on items, and every extra wave would pay its own start ramp and tail.
 * Only a ring that sets `maxWaveSize` has a level split into waves of at most that many (each
 * Map Run then decides its failure tolerance alone). Only the last wave of a ring carries the
 * ring's gate (bake, alarms, minimum traffic).
 */
export function planRollout(registry: TenantRegistry, releases: readonly ReleaseManifest[], options: PlanOptions): RolloutPlan {
  const byService = new Map(releases.map((r) => [r.service, r]));
  const levels = dependencyLevels([...byService.keys()], registry.services ?? {});
  const skipped: SkippedDeployment[] = [];
  const waves: PlannedWave[] = [];
  registry.rings.forEach((ring, ringIndex) => {
    const tenants = registry.tenants.filter((t) => t.ring === ring.name);
    const ringWaves: Array<{ services: string[]; items: RolloutItem[] }> = [];
    for (const level of levels) {
      const items: RolloutItem[] = [];
      for (const tenant of tenants) {
        for (const service of level) {
          const release = byService.get(service)!;
          for (const region of [tenant.homeRegion, ...(tenant.extraRegions ?? [])]) {
            const skip = skipReason(registry, tenant, release, region, options);
            if (skip) skipped.push({ tenantId: tenant.id, service, region, ...skip });
            else items.push(rolloutItem(registry, tenant, release, region, options, ring.monitoringTimeInMinutes ?? DEFAULT_MONITORING_MINUTES));
          }
        }
      }
      const size = ring.maxWaveSize ?? Math.max(1, items.length);
      for (let start = 0; start < items.length; start += size) {
        const chunk = items.slice(start, start + size);
        ringWaves.push({ services: level.filter((s) => chunk.some((i) => i.service === s)), items: chunk });
      }
    }
    ringWaves.forEach((wave, w) => {
      const index = waves.length;
      const last = w === ringWaves.length - 1;
      waves.push({
        index,
        ring: ring.name,
        itemsKey: ROLLOUT_KEYS.waveItems(options.rolloutId, index),
        itemCount: wave.items.length,
        toleratedFailurePercentage: ringIndex === 0 ? 0 : ring.toleratedFailurePercentage ?? 0,
        maxConcurrency: ring.maxConcurrency,
        gate: last
          ? { bakeSeconds: ring.bakeMinutes * 60, alarmNames: [...(ring.gateAlarmNames ?? [])], minimumExecutions: ring.minimumExecutions ?? 0 }
          : { bakeSeconds: 0, alarmNames: [], minimumExecutions: 0 },
        services: wave.services,
        items: wave.items,
      });
    });
  });
  return { rolloutId: options.rolloutId, waves, skipped };
}

/** The engine's execution input for `plan` (the wave lists themselves go to S3 at `itemsKey`). */
export function rolloutInput(plan: RolloutPlan, bucket: string): RolloutInput {
  return {
    rolloutId: plan.rolloutId,
    bucket,
    waves: plan.waves.map(({ services: _services, items: _items, ...wave }) => wave),
  };
}

function skipReason(registry: TenantRegistry, tenant: TenantDeclaration, release: ReleaseManifest, region: string, options: PlanOptions): Pick<SkippedDeployment, 'reason' | 'detail'> | undefined {
  if (tenant.frozen) return { reason: 'frozen', detail: 'tenant is frozen' };
  const pinned = tenant.pinnedReleases?.[release.service];
  if (pinned !== undefined && pinned !== release.releaseId) return { reason: 'pinned', detail: `pinned to ${pinned}` };
  const windows = tenant.windows ?? registry.defaultWindows;
  if (!isWindowOpen(windows, options.now)) {
    return { reason: 'outside-window', detail: `deployment window closed at ${options.now.toISOString()} (${windows!.map((w) => `${w.days.join(',')} ${w.startHourUtc}-${w.endHourUtc}h UTC`).join('; ')})` };
  }
  const deployed = options.deployed?.get(tenant.id)?.get(serviceRegionKey(release.service, region));
  if (deployed === release.releaseId) return { reason: 'at-release', detail: `already at ${deployed}` };
  return undefined;
}

function rolloutItem(registry: TenantRegistry, tenant: TenantDeclaration, release: ReleaseManifest, region: string, options: PlanOptions, monitoringTimeInMinutes: number): RolloutItem {
  const partition = partitionOf(region);
  const bucket = `${options.releaseBucketPrefix}-${region}`;
  const alarms = registry.services?.[release.service]?.rollbackAlarmNames ?? [];
  return {
    tenantId: tenant.id,
    accountId: tenant.accountId,
    region,
    service: release.service,
    releaseId: release.releaseId,
    stackName: serviceStackName(release.service),
    changeSetName: releaseChangeSetName(release.releaseId),
    templateUrl: `https://${bucket}.${s3Host(region)}/${RELEASE_KEYS.template(release.service, release.releaseId)}`,
    deployRoleArn: `arn:${partition}:iam::${tenant.accountId}:role/${FLEET_DEPLOY_ROLE_NAME}`,
    parameters: release.parameters.map((p) => ({ ParameterKey: p.ParameterKey, ParameterValue: p.ParameterValue.split(REGION_PLACEHOLDER).join(region) })),
    rollbackAlarmArns: alarms.map((name) => `arn:${partition}:cloudwatch:${region}:${tenant.accountId}:alarm:${name}`),
    monitoringTimeInMinutes,
  };
}

/**
 * `services` in dependency levels: level 0 depends on none of the others, level n only on levels
 * below it. Dependencies outside `services` are taken as deployed. Names sort inside a level, so
 * the plan is the same on every machine. (The registry's validation has refused cycles.)
 */
export function dependencyLevels(services: readonly string[], declarations: Readonly<Record<string, { readonly dependsOn?: readonly string[] }>>): string[][] {
  const remaining = new Set(services);
  const placed = new Set<string>();
  const levels: string[][] = [];
  while (remaining.size > 0) {
    const level = [...remaining].filter((s) => (declarations[s]?.dependsOn ?? []).every((d) => d === s || placed.has(d) || !services.includes(d))).sort();
    if (level.length === 0) throw new Error(`Services ${[...remaining].join(', ')} depend on each other in a cycle. Fix: remove one of the dependencies in services of tenants.ts.`);
    for (const s of level) {
      remaining.delete(s);
      placed.add(s);
    }
    levels.push(level);
  }
  return levels;
}
