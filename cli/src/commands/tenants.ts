import { Command } from 'commander';
import { TenantRegistry } from '@fleet/rollout';
import { CliError } from '../errors';
import { findFleetRoot } from '../fleet-root';
import { loadRegistry, TENANTS_FILE } from '../rollout/load-registry';

/** `fleet tenants list|show|validate`: the tenant registry (tenants.ts at the fleet root). */
export function registerTenants(program: Command, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  const tenants = program
    .command('tenants')
    .summary('list, show and validate the tenant registry (tenants.ts)')
    .description(`The tenant registry ${TENANTS_FILE} at the fleet root: every tenant account, its ring, Regions, window, pins. Every command validates it first and lists every problem at once.`);
  tenants
    .command('list')
    .description('one line per tenant, in ring order: id, account, Regions, ring, flags')
    .option('--ring <ring>', 'only the tenants of this ring')
    .option('--json', 'print the tenants as JSON')
    .action((options: { ring?: string; json?: boolean }) => write(`${listTenants(loadRegistry(findFleetRoot()), options)}\n`));
  tenants
    .command('show <id>')
    .description('everything the registry says about one tenant, as JSON')
    .action((id: string) => write(`${showTenant(loadRegistry(findFleetRoot()), id)}\n`));
  tenants
    .command('validate')
    .description('validate the registry; exit 1 listing every problem')
    .action(() => {
      const registry = loadRegistry(findFleetRoot());
      write(`${TENANTS_FILE}: valid, ${registry.tenants.length} tenants in ${registry.rings.length} rings (${registry.rings.map((r) => `${r.name} ${registry.tenants.filter((t) => t.ring === r.name).length}`).join(', ')}).\n`);
    });
}

export function listTenants(registry: TenantRegistry, options: { ring?: string; json?: boolean } = {}): string {
  if (options.ring !== undefined && !registry.rings.some((r) => r.name === options.ring)) {
    throw new CliError(`--ring: not a declared ring, got ${JSON.stringify(options.ring)}. Fix: use one of ${registry.rings.map((r) => `"${r.name}"`).join(', ')}.`);
  }
  const order = registry.rings.map((r) => r.name);
  const tenants = registry.tenants
    .filter((t) => options.ring === undefined || t.ring === options.ring)
    .map((t, i) => ({ t, i }))
    .sort((a, b) => order.indexOf(a.t.ring) - order.indexOf(b.t.ring) || a.i - b.i)
    .map(({ t }) => t);
  if (options.json) return JSON.stringify(tenants, null, 2);
  const rows = tenants.map((t) => [t.id, t.accountId, [t.homeRegion, ...(t.extraRegions ?? [])].join(','), t.ring,
    [t.frozen ? 'frozen' : '', Object.keys(t.pinnedReleases ?? {}).length ? `pinned ${Object.keys(t.pinnedReleases!).join(',')}` : '', t.windows ? 'window' : ''].filter(Boolean).join(' ')]);
  const header = ['TENANT', 'ACCOUNT', 'REGIONS', 'RING', 'FLAGS'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  return [header, ...rows].map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

export function showTenant(registry: TenantRegistry, id: string): string {
  const tenant = registry.tenants.find((t) => t.id === id);
  if (!tenant) {
    throw new CliError(`Tenant ${JSON.stringify(id)} is not in ${TENANTS_FILE}. Fix: use an id from npx fleet tenants list (${registry.tenants.slice(0, 5).map((t) => `"${t.id}"`).join(', ')}${registry.tenants.length > 5 ? ', ...' : ''}).`);
  }
  return JSON.stringify(tenant, null, 2);
}
