import { DeploymentWindow } from './deployment-window';

/**
 * A ring: a group of tenants deployed together, in declaration order. The first declared ring is
 * the canary ring: it must have tenants, none of them frozen, and tolerates no failure.
 */
export interface RingDeclaration {
  readonly name: string;
  /** The wave's ToleratedFailurePercentage (0-100). The canary ring is always 0. Default 0. */
  readonly toleratedFailurePercentage?: number;
  /** Children deploying at once (Distributed Map MaxConcurrency, 1-10,000). */
  readonly maxConcurrency: number;
  /** Bake time after the ring before its health gate reads alarms. */
  readonly bakeMinutes: number;
  /** Alarm names in the control plane account; any in ALARM stops the rollout at the gate. */
  readonly gateAlarmNames?: readonly string[];
  /** The gate passes only when the ring's tenants ran at least this many executions during the bake. Default 0. */
  readonly minimumExecutions?: number;
  /**
   * Split each dependency level of the ring into waves (Map Runs) of at most this many
   * (tenant, service, Region) deployments. Default: no split, one wave per level, since a Map Run
   * takes any number of items and runs at most `maxConcurrency` at once. Set it when each chunk
   * should get its own failure-tolerance decision: a Map Run measures ToleratedFailurePercentage
   * against its own item count, so 5% of a 100,000-item wave is 5,000 failed stacks before it
   * stops, while 5% of a 2,000-item chunk is 100, and the later chunks never start. Each extra
   * wave costs its own start ramp (100 children/s) and its slowest deployment's tail.
   */
  readonly maxWaveSize?: number;
  /** RollbackConfiguration.MonitoringTimeInMinutes for the ring's change sets (0-180). Default 10. */
  readonly monitoringTimeInMinutes?: number;
}

/** One tenant: one AWS account, homed in one Region, optionally in more. */
export interface TenantDeclaration {
  /** Lowercase letters, digits and single hyphens, starting with a letter. */
  readonly id: string;
  /** The 12-digit AWS account id. */
  readonly accountId: string;
  readonly homeRegion: string;
  /** Regions deployed after the home Region. */
  readonly extraRegions?: readonly string[];
  /** The organizational unit (ou-xxxx-yyyyyyyy) or its path, as the StackSets target it. */
  readonly organizationalUnit: string;
  readonly ring: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** A frozen tenant is never deployed to (contract freeze, audit, incident). */
  readonly frozen?: boolean;
  /** Service name to release id: the tenant stays at this release of the service. */
  readonly pinnedReleases?: Readonly<Record<string, string>>;
  /** When the tenant accepts deployments; absent: the registry's default, else always. */
  readonly windows?: readonly DeploymentWindow[];
}

/**
 * What the rollout needs to know about a service that its manifest entry does not say. The fleet
 * manifest has no dependency field, so dependencies are declared here, next to the tenants.
 */
export interface ServiceDeclaration {
  /** Services that must be deployed in a tenant account before this one (their waves come first). */
  readonly dependsOn?: readonly string[];
  /** Alarm names in the tenant account that roll the service's stack back (at most 5). */
  readonly rollbackAlarmNames?: readonly string[];
}

export interface TenantRegistry {
  readonly rings: readonly RingDeclaration[];
  readonly tenants: readonly TenantDeclaration[];
  readonly services?: Readonly<Record<string, ServiceDeclaration>>;
  /** The window of every tenant that declares none. */
  readonly defaultWindows?: readonly DeploymentWindow[];
}

/**
 * Declares the fleet's tenant registry (the root `tenants.ts`). Typed here; validated by
 * `validateRegistry` when the CLI loads it, so every problem is reported at once with its fix.
 */
export function defineTenants(registry: TenantRegistry): TenantRegistry {
  return registry;
}
