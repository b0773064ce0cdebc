/**
 * A synthetic fleet: N tenants in the rings canary / early / main, S services with dependency
 * levels, one release per service. Valid by construction; `registryProblems` checks it anyway,
 * since the real planner is what reads it.
 */
import { ReleaseManifest } from '@fleet/contracts';
import { registryProblems, releaseId, RingDeclaration, TenantDeclaration, TenantRegistry } from '@fleet/rollout';
import { RingName, SIMULATION_DEFAULTS, SimulationOptions } from './simulation-options';

export const SIMULATED_REGION = 'eu-west-1';
export const SIMULATED_CENTRAL_ACCOUNT = '999988887777';
export const SIMULATED_ORGANIZATION = 'o-sim0fleet01';
const OU = 'ou-sim0-tenants01';

export interface SyntheticFleet {
  readonly registry: TenantRegistry;
  readonly releases: readonly ReleaseManifest[];
  /** Ring sizes as drawn from the options. */
  readonly ringSizes: Readonly<Record<RingName, number>>;
}

/** The gate alarm of a ring, in the central account. */
export function gateAlarmName(ring: string): string {
  return `fleet-${ring}-health`;
}

export function tenantAccount(index: number): string {
  return String(100_000_000_000 + index);
}

export function tenantId(index: number): string {
  return `t-${String(index).padStart(5, '0')}`;
}

export function serviceName(index: number): string {
  return `svc-${String(index + 1).padStart(2, '0')}`;
}

/** Ring sizes: the canary at least one tenant, the early ring what is asked, main the rest. */
export function ringSizes(options: SimulationOptions): Record<RingName, number> {
  const n = options.tenants;
  const canary = Math.min(n, options.canaryTenants ?? Math.max(1, Math.round(n * SIMULATION_DEFAULTS.canaryFraction)));
  const early = Math.min(n - canary, options.earlyTenants ?? Math.round(n * SIMULATION_DEFAULTS.earlyFraction));
  return { canary, early, main: n - canary - early };
}

export function syntheticFleet(options: SimulationOptions): SyntheticFleet {
  const sizes = ringSizes(options);
  const services = options.services ?? SIMULATION_DEFAULTS.services;
  const levels = Math.min(services, options.dependencyLevels ?? SIMULATION_DEFAULTS.dependencyLevels);
  const rings: RingDeclaration[] = [];
  const order: RingName[] = (['canary', 'early', 'main'] as const).filter((r) => sizes[r] > 0);
  order.forEach((name, i) => {
    const last = i === order.length - 1;
    rings.push({
      name,
      maxConcurrency: options.maxConcurrency?.[name] ?? SIMULATION_DEFAULTS.maxConcurrency,
      bakeMinutes: last ? 0 : options.bakeMinutes ?? SIMULATION_DEFAULTS.bakeMinutes,
      gateAlarmNames: last ? [] : [gateAlarmName(name)],
      ...(options.maxWaveSize !== undefined ? { maxWaveSize: options.maxWaveSize } : {}),
      monitoringTimeInMinutes: options.monitoringMinutes ?? SIMULATION_DEFAULTS.monitoringMinutes,
      ...(i === 0 ? {} : { toleratedFailurePercentage: options.toleratedFailurePercentage ?? SIMULATION_DEFAULTS.toleratedFailurePercentage }),
    });
  });
  const tenants: TenantDeclaration[] = [];
  for (let i = 0; i < options.tenants; i++) {
    const ring: RingName = i < sizes.canary ? 'canary' : i < sizes.canary + sizes.early ? 'early' : 'main';
    tenants.push({ id: tenantId(i), accountId: tenantAccount(i), homeRegion: SIMULATED_REGION, organizationalUnit: OU, ring });
  }
  // Service i is in group floor(i * levels / services); each service depends on the first service of the group before.
  const group = (i: number) => Math.floor((i * levels) / services);
  const firstOf = (g: number) => Array.from({ length: services }, (_, i) => i).find((i) => group(i) === g)!;
  const declarations: Record<string, { dependsOn: string[] }> = {};
  for (let i = 0; i < services; i++) {
    declarations[serviceName(i)] = { dependsOn: group(i) === 0 ? [] : [serviceName(firstOf(group(i) - 1))] };
  }
  const registry: TenantRegistry = { rings, tenants, services: declarations };
  const problems = registryProblems(registry);
  if (problems.length > 0) throw new Error(`The synthetic registry is invalid (a simulator bug): ${problems.map((p) => `${p.subject}: ${p.problem}`).join('; ')}`);
  const releases: ReleaseManifest[] = Array.from({ length: services }, (_, i) => {
    const service = serviceName(i);
    const parameters = [{ ParameterKey: 'FailureBusArn', ParameterValue: `arn:aws:events:{region}:${SIMULATED_CENTRAL_ACCOUNT}:event-bus/fleet-failures` }];
    const templateBody = JSON.stringify({ Description: `${service} (simulated release)` });
    return { releaseId: releaseId({ service, templateBody, assetHashes: [], parameters }), service, version: '0.0.0', templateHash: '', assetHashes: [], parameters, createdAt: '2026-12-01T00:00:00Z' };
  });
  return { registry, releases, ringSizes: sizes };
}
