import { Command } from 'commander';
import { TenantRegistry } from '@fleet/rollout';
import { CliError } from '../errors';
import { findFleetRoot } from '../fleet-root';
import { onboardingRequests, OnboardFlags } from '../onboarding/onboarding-requests';
import { OnboardDeps, startOnboarding, waitForBatch } from '../onboarding/start-onboarding';
import { loadRegistry, TENANTS_FILE } from '../rollout/load-registry';
import { DEFAULT_ROLLOUT_DEPS } from '../rollout/rollout-clients';

/** `fleet tenants list|show|validate|onboard`: the tenant registry (tenants.ts at the fleet root) and onboarding new tenants. */
export function registerTenants(program: Command, write: (text: string) => void = (text) => process.stdout.write(text), deps: OnboardDeps = DEFAULT_ROLLOUT_DEPS): void {
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
  tenants
    .command('onboard')
    .description('create an account per new tenant, move it to its OU, wait for the baseline, deploy every service at its current release, record it in the tenant registry table (the control plane of its home Region runs it)')
    .option('--tenant <id>', 'the tenant id (kebab-case)')
    .option('--account-name <name>', 'the new AWS account\'s name')
    .option('--email <address>', 'the new account\'s root email, unique in AWS')
    .option('--ou <id>', 'the OU to move it to (a target of the tenant baseline StackSet)')
    .option('--region <region>', 'the tenant\'s home Region')
    .option('--request-id <id>', 'idempotency key (default onboard-<tenant>): the same id again resumes')
    .option('--file <requests.json>', 'many tenants: a JSON array of { requestId, tenantId, accountName, email, organizationalUnitId, homeRegion }')
    .option('--batch-id <id>', 'name of the execution (default onboard-<UTC time>)')
    .option('--control-plane-stack <name>', 'the control plane stack (default control-plane)')
    .option('--wait', 'follow the onboarding and print each step as it changes, until the batch ends')
    .option('--json', 'print the result as JSON')
    .action(async (options: OnboardFlags & { batchId?: string; controlPlaneStack?: string; wait?: boolean; json?: boolean }) => {
      // Every request is checked before any AWS call.
      const requests = onboardingRequests(options, process.cwd());
      const batches = await startOnboarding({ root: findFleetRoot(), requests, controlPlaneStack: options.controlPlaneStack, batchId: options.batchId }, deps);
      if (!options.wait) {
        if (options.json) write(`${JSON.stringify(batches, null, 2)}\n`);
        else for (const b of batches) write(`Onboarding ${b.batchId} started: ${b.tenants.length} tenant${b.tenants.length === 1 ? '' : 's'} in ${b.region}, services at ${b.releases.join(', ')}.\n  ${b.executionArn}\nFollow it with: npx fleet tenants onboard ... --wait, or the tenant registry table ${b.registryTable}\n`);
        return;
      }
      const outcomes = [];
      for (const b of batches) {
        if (!options.json) write(`Onboarding ${b.batchId}: ${b.tenants.length} tenant${b.tenants.length === 1 ? '' : 's'} in ${b.region}\n`);
        outcomes.push(await waitForBatch(b, deps, (line) => { if (!options.json) write(`  ${line}\n`); }));
      }
      if (options.json) write(`${JSON.stringify(outcomes, null, 2)}\n`);
      else {
        for (const o of outcomes) {
          write(`${o.batchId}: ${o.status}; ${o.tenants.map((t) => `${t.tenantId} ${t.status}${t.accountId ? ` (account ${t.accountId})` : ''}${t.status !== 'READY' ? `: ${t.cause}` : ''}`).join('; ')}\n`);
        }
      }
      const notReady = outcomes.flatMap((o) => o.status !== 'SUCCEEDED' ? [o.batchId] : o.tenants.filter((t) => t.status !== 'READY').map((t) => t.tenantId));
      if (notReady.length > 0) throw new CliError(`Onboarding: not ready: ${notReady.join(', ')}. Fix: read each cause above, fix it, and run the same command again (the same request ids resume).`);
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
