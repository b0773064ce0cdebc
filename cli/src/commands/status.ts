import { Command } from 'commander';
import { findFleetRoot, isServiceFolder, locateService } from '../fleet-root';
import { FILE_POLICIES } from '@fleet/blueprints/owned';
import { table } from '../print';
import { DEFAULT_CONTROL_PLANE_STACK, DEFAULT_DEPLOYED_RELEASE_CLIENTS, DeployedReleaseClients, deployedReleases, DeployedSummary } from '../status/deployed-releases';
import { FleetStatus, fleetStatus, ServiceStatus, serviceStatus } from '../status/fleet-status';

export interface StatusOptions {
  json?: boolean;
  deployed?: boolean;
  region?: string;
  controlPlaneStack?: string;
}

/** The AWS clients and where the fleet is, replaceable in tests. */
export interface StatusDeps {
  readonly clients: DeployedReleaseClients;
  readonly cwd: () => string;
  write(text: string): void;
}

export const DEFAULT_STATUS_DEPS: StatusDeps = {
  clients: DEFAULT_DEPLOYED_RELEASE_CLIENTS,
  cwd: () => process.cwd(),
  write: (text) => process.stdout.write(text),
};

/** `fleet status`: each service's blueprint, version, owned-file updates and conflicts; with `--deployed`, its deployed releases. */
export function registerStatus(program: Command, deps: StatusDeps = DEFAULT_STATUS_DEPS): void {
  program
    .command('status')
    .summary('each service: blueprint and version, owned files behind the blueprint, conflicts, retired services')
    .description([
      'Reads the fleet repository only (each service\'s package.json and .projen/owned-files.json, and the manifest .projenrc.ts): which blueprint and @fleet/blueprints version generated each service, which files its team owns have a blueprint update not taken yet (take them with npx fleet owned), which still hold unresolved conflict markers, which services are retired and what they left behind. No AWS call.',
      '',
      'With --deployed it also reads, from the control plane account, the release status table the rollout engine writes: per service, the releases deployed and how many (tenant, Region) deployments are in each state.',
    ].join('\n'))
    .option('--json', 'print the status as JSON')
    .option('--deployed', 'also read the deployed releases from the control plane (needs AWS credentials for the central account)')
    .option('--region <region>', 'with --deployed: the control plane\'s Region (default: AWS_REGION or the profile\'s)')
    .option('--control-plane-stack <name>', 'with --deployed: the control plane stack', DEFAULT_CONTROL_PLANE_STACK)
    .addHelpText('after', [
      '',
      'Examples:',
      '  npx fleet status',
      '  npx fleet status --json',
      '  AWS_PROFILE=central npx fleet status --deployed --region eu-west-1',
      '',
    ].join('\n'))
    .action(async (options: StatusOptions) => {
      deps.write(await runStatus(options, deps));
    });
}

/** The status of the fleet around `cwd` (or of the service folder `cwd`, for a service copied out). */
export function localStatus(cwd: string): FleetStatus {
  if (isServiceFolder(cwd)) {
    try {
      findFleetRoot(cwd);
    } catch {
      const own = locateService(undefined, cwd);
      return { services: [serviceStatus(own.name, own.dir)], notGenerated: [], retired: [] };
    }
  }
  return fleetStatus(findFleetRoot(cwd));
}

/** What `fleet status` prints. */
export async function runStatus(options: StatusOptions, deps: StatusDeps = DEFAULT_STATUS_DEPS): Promise<string> {
  const status = localStatus(deps.cwd());
  const deployed = options.deployed ? await deployedReleases({ region: options.region, controlPlaneStack: options.controlPlaneStack }, deps.clients) : undefined;
  if (options.json) return `${JSON.stringify(statusJson(status, deployed), null, 2)}\n`;
  return renderStatus(status, deployed);
}

/** The JSON `--json` prints: the local status, and `deployed` per service with `--deployed`. */
export function statusJson(status: FleetStatus, deployed?: Map<string, DeployedSummary>): object {
  const local = new Set(status.services.map((s) => s.name));
  return {
    services: status.services.map((s) => (deployed ? { ...s, deployed: deployed.get(s.name) ?? null } : s)),
    notGenerated: status.notGenerated,
    retired: status.retired.map((r) => (deployed ? { ...r, deployed: deployed.get(r.name) ?? null } : r)),
    ...(deployed ? { deployedNotInRepository: Object.fromEntries([...deployed].filter(([name]) => !local.has(name) && !status.retired.some((r) => r.name === name))) } : {}),
  };
}

/** The text `fleet status` prints: one table row per service, then retired and undeclared services. */
export function renderStatus(status: FleetStatus, deployed?: Map<string, DeployedSummary>): string {
  const header = ['service', 'blueprint', 'version', 'blueprints', 'deployed to', 'owned files', 'files by policy'];
  if (deployed) header.push('deployed releases');
  const rows = status.services.map((s) => {
    const row = [s.name, s.blueprint ?? '-', s.version ?? '-', s.blueprintVersion ?? '-', s.deployedTo, ownedColumn(s), policyColumn(s)];
    if (deployed) row.push(deployedColumn(deployed.get(s.name)));
    return row;
  });
  const lines = status.services.length > 0 ? table(header, rows) : ['  no services generated under projects/ yet'];
  const problems = status.services.filter((s) => s.problem !== undefined);
  if (problems.length > 0) lines.push('', ...problems.map((s) => `${s.name}: ${s.problem}`));
  if (status.retired.length > 0) {
    lines.push('', 'Retired:');
    for (const r of status.retired) {
      const kept = r.keptFiles.length === 0 ? 'folder removed' : `${r.keptFiles.length} file${r.keptFiles.length === 1 ? '' : 's'} its team owned still in projects/${r.name}/ (move them, delete the folder, then remove the name from retired)`;
      lines.push(`  ${r.name}  ${kept}${deployed?.has(r.name) ? `; still deployed: ${deployedColumn(deployed.get(r.name))}` : ''}`);
    }
  }
  if (status.notGenerated.length > 0) {
    lines.push('', `Declared in .projenrc.ts but not generated yet: ${status.notGenerated.join(', ')}. Run npx projen.`);
  }
  if (deployed) {
    const known = new Set([...status.services.map((s) => s.name), ...status.retired.map((r) => r.name)]);
    const elsewhere = [...deployed.keys()].filter((name) => !known.has(name)).sort();
    if (elsewhere.length > 0) lines.push('', `Deployed but not in this repository: ${elsewhere.map((name) => `${name} (${deployedColumn(deployed.get(name))})`).join(', ')}.`);
  }
  if (status.services.some((s) => s.ownedUpdates.length > 0 || s.unresolvedConflicts.length > 0)) {
    lines.push('', 'Take owned-file updates with npx fleet owned <service> --diff, then --apply; resolve conflict markers by hand.');
  }
  return `${lines.join('\n')}\n`;
}

function ownedColumn(s: ServiceStatus): string {
  if (s.problem !== undefined) return 'unreadable ledger (below)';
  const parts: string[] = [];
  const updates = s.ownedUpdates.length;
  if (updates > 0) {
    const conflicting = s.ownedUpdates.filter((u) => u.status === 'conflict').length;
    parts.push(`${updates} behind the blueprint${conflicting > 0 ? ` (${conflicting} conflicting)` : ''}`);
  }
  const unresolved = s.unresolvedConflicts.length;
  if (unresolved > 0) parts.push(`${unresolved} with conflict markers`);
  return parts.length > 0 ? parts.join(', ') : 'up to date';
}

/** `14 always-update, 5 three-way-merge, 1 add-only` (the non-empty policies). */
function policyColumn(s: ServiceStatus): string {
  if (!s.filesByPolicy) return '-';
  return FILE_POLICIES.filter((p) => s.filesByPolicy![p] > 0).map((p) => `${s.filesByPolicy![p]} ${p}`).join(', ') || 'no files';
}

function deployedColumn(summary: DeployedSummary | undefined): string {
  if (!summary) return 'not deployed';
  const releases = Object.entries(summary.releases).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([id, n]) => `${id} on ${n}`);
  const states = Object.entries(summary.states).filter(([state]) => state !== 'DEPLOYED' && state !== 'UNCHANGED').sort(([a], [b]) => a.localeCompare(b)).map(([state, n]) => `${n} ${state}`);
  const parts = [releases.length > 0 ? releases.join(', ') : 'no release deployed yet', ...states];
  return `${parts.join('; ')} (of ${summary.deployments})`;
}
