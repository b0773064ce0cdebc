import * as path from 'path';
import { Command } from 'commander';
import { findFleetRoot, listServices } from '../fleet-root';
import { table } from '../print';
import { serviceIdentity, ServiceIdentity } from '../status/fleet-status';

export interface ListOptions {
  json?: boolean;
}

/** `fleet list`: the generated services with blueprint, versions and deployment target. Reads package.json files only. */
export function registerList(program: Command): void {
  program
    .command('list')
    .summary('list the services under projects/ with blueprint, version and where each is deployed')
    .description('Lists every generated service of the fleet (projects/<name>/) with the blueprint that generates it, its version, the @fleet/blueprints version it was generated with and its deployment target (package.json fleet.deployedTo: central-account or every-tenant-account). For owned-file updates and deployed releases, see npx fleet status.')
    .option('--json', 'print the services as JSON')
    .addHelpText('after', '\nExamples:\n  npx fleet list\n  npx fleet list --json\n')
    .action((options: ListOptions) => {
      process.stdout.write(runList(options));
    });
}

/** The services of the fleet around `cwd`. */
export function fleetServices(cwd: string): ServiceIdentity[] {
  const root = findFleetRoot(cwd);
  return listServices(root).map((name) => serviceIdentity(name, path.join(root, 'projects', name)));
}

/** What `fleet list` prints. */
export function runList(options: ListOptions, cwd: string = process.cwd()): string {
  const services = fleetServices(cwd);
  if (options.json) return `${JSON.stringify(services, null, 2)}\n`;
  if (services.length === 0) return 'No services generated under projects/ yet. Add one with npx fleet new service <name>.\n';
  const rows = services.map((s) => [s.name, s.blueprint ?? '-', s.version ?? '-', s.blueprintVersion ?? '-', s.deployedTo]);
  return `${table(['service', 'blueprint', 'version', 'blueprints', 'deployed to'], rows).join('\n')}\n`;
}
