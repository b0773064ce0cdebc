import { TENANT_DEPLOYMENT } from '@fleet/contracts';
import { registryProblems, TenantRegistry, TenantRegistryError } from '@fleet/rollout';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { CliError } from '../errors';
import { listServices } from '../fleet-root';

/** The tenant registry's file at the fleet root. */
export const TENANTS_FILE = 'tenants.ts';

let tsxRegistered = false;

/**
 * The fleet's tenant registry, validated against the fleet's tenant services: every problem is
 * reported at once (as a CliError) before any command builds, uploads or starts anything.
 */
export function loadRegistry(root: string): TenantRegistry {
  const file = path.join(root, TENANTS_FILE);
  if (!existsSync(file)) {
    throw new CliError(`No tenant registry at ${file}. Fix: create ${TENANTS_FILE} at the fleet root exporting defineTenants({ rings, tenants }) from @fleet/rollout as its default export.`);
  }
  if (!tsxRegistered) {
    // Global registration, as for service stacks: tenants.ts must share this CLI's @fleet/rollout.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('tsx/cjs/api') as { register(): () => void }).register();
    tsxRegistered = true;
  }
  let registry: TenantRegistry | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file) as { default?: TenantRegistry };
    registry = loaded.default;
  } catch (error) {
    throw new CliError(`${file} could not be loaded (${(error as Error).message}). Fix: correct the file; \`npx tsc --noEmit -p tsconfig.json\` at the fleet root shows type errors.`);
  }
  if (registry === undefined || typeof registry !== 'object') {
    throw new CliError(`${file} has no default export. Fix: end it with export default defineTenants({ rings, tenants }).`);
  }
  const problems = registryProblems(registry, { services: rolloutServices(root) });
  if (problems.length > 0) throw new CliError(new TenantRegistryError(problems, `The tenant registry (${TENANTS_FILE})`).message);
  return registry;
}

/** Every Region any tenant is deployed in, sorted. */
export function registryRegions(registry: TenantRegistry): string[] {
  return [...new Set(registry.tenants.flatMap((t) => [t.homeRegion, ...(t.extraRegions ?? [])]))].sort();
}

/**
 * The blueprint whose stack every tenant account gets from its own StackSet (with automatic
 * deployment to the tenant OU) before any service: it holds the deploy role the engine assumes,
 * so the engine cannot be what first deploys it, and a second stack of it would collide on names.
 */
export const STACKSET_ONLY_BLUEPRINTS: readonly string[] = ['tenant-baseline'];

/** The services the rollout engine deploys: tenant services, less those deployed by their own StackSet. */
export function rolloutServices(root: string): string[] {
  return listServices(root, TENANT_DEPLOYMENT).filter((service) => {
    try {
      const blueprint = JSON.parse(readFileSync(path.join(root, 'projects', service, 'package.json'), 'utf-8')).fleet?.blueprint;
      return !STACKSET_ONLY_BLUEPRINTS.includes(blueprint);
    } catch {
      return true;
    }
  });
}
