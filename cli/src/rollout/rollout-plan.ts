import { ReleaseManifest } from '@fleet/contracts';
import { planRollout, RolloutPlan, TenantRegistry } from '@fleet/rollout';
import { CliError } from '../errors';
import { findBuiltRelease } from './build-release';
import { loadRegistry, rolloutServices, STACKSET_ONLY_BLUEPRINTS } from './load-registry';

/** A placeholder release bucket prefix for offline plans (start uses the control plane's). */
export const OFFLINE_RELEASE_BUCKET_PREFIX = 'fleet-releases';

export interface PlanRequest {
  readonly root: string;
  readonly rolloutId: string;
  readonly now: Date;
  /** Services to roll out; default every tenant service. */
  readonly services?: readonly string[];
  readonly releaseBucketPrefix?: string;
  readonly deployed?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The registry (validated), the latest built release of each service, and the plan over them. */
export function buildPlan(request: PlanRequest): { registry: TenantRegistry; releases: ReleaseManifest[]; plan: RolloutPlan } {
  const registry = loadRegistry(request.root);
  const all = rolloutServices(request.root);
  const services = request.services && request.services.length > 0 ? [...request.services] : all;
  const unknown = services.filter((s) => !all.includes(s));
  if (unknown.length > 0) {
    throw new CliError({
      subject: `Services ${unknown.map((s) => `"${s}"`).join(', ')}`,
      problem: `not services the rollout deploys (tenant services; blueprints ${STACKSET_ONLY_BLUEPRINTS.join(', ')} are deployed by their own StackSet)`,
      fix: `use ${all.map((s) => `"${s}"`).join(', ')}, or leave the services out to roll out all of them`,
    });
  }
  const missing: string[] = [];
  const releases: ReleaseManifest[] = [];
  for (const service of services) {
    const built = findBuiltRelease(request.root, service);
    if (built) releases.push(built.manifest);
    else missing.push(service);
  }
  if (missing.length > 0) {
    throw new CliError({ subject: 'Releases', problem: `none is built for ${missing.join(', ')}`, fix: `run npx fleet release ${missing.length === all.length ? '--all' : missing.join(' ')} first` });
  }
  const plan = planRollout(registry, releases, {
    rolloutId: request.rolloutId,
    releaseBucketPrefix: request.releaseBucketPrefix ?? OFFLINE_RELEASE_BUCKET_PREFIX,
    now: request.now,
    deployed: request.deployed,
  });
  return { registry, releases, plan };
}

/** The plan as people read it: each wave with its tenants and services, then what is skipped and why. */
export function renderPlan(plan: RolloutPlan, releases: readonly ReleaseManifest[]): string {
  const lines = [`Rollout ${plan.rolloutId}: ${releases.map((r) => r.releaseId).join(', ')}`];
  const deployments = plan.waves.reduce((n, w) => n + w.itemCount, 0);
  lines.push(`${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'}, ${deployments} deployment${deployments === 1 ? '' : 's'}, ${plan.skipped.length} skipped`, '');
  for (const wave of plan.waves) {
    const tenants = [...new Set(wave.items.map((i) => i.tenantId))];
    const gate = wave.gate.bakeSeconds > 0 || wave.gate.alarmNames.length > 0 || wave.gate.minimumExecutions > 0
      ? `; then gate: bake ${wave.gate.bakeSeconds / 60} min${wave.gate.alarmNames.length ? `, alarms ${wave.gate.alarmNames.join(', ')}` : ''}${wave.gate.minimumExecutions ? `, at least ${wave.gate.minimumExecutions} executions` : ''}`
      : '';
    lines.push(`Wave ${wave.index} (${wave.ring}): ${wave.services.join(', ')} to ${tenants.length} tenant${tenants.length === 1 ? '' : 's'}, ${wave.itemCount} deployment${wave.itemCount === 1 ? '' : 's'}; tolerance ${wave.toleratedFailurePercentage}%, ${wave.maxConcurrency} at once${gate}`);
    lines.push(`  ${tenants.join(', ')}`);
  }
  if (plan.skipped.length > 0) {
    lines.push('', 'Skipped:');
    const grouped = new Map<string, string[]>();
    for (const s of plan.skipped) {
      const key = `${s.tenantId}: ${s.detail}`;
      grouped.set(key, [...(grouped.get(key) ?? []), `${s.service}@${s.region}`]);
    }
    for (const [key, targets] of grouped) lines.push(`  ${key} (${targets.join(', ')})`);
  }
  return lines.join('\n');
}
