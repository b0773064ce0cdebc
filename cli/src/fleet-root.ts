import { CENTRAL_DEPLOYMENT, Deployment, TENANT_DEPLOYMENT } from '@fleet/contracts';
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { CliError } from './errors';

/** The fleet repository containing `from`: the nearest folder with `.projenrc.ts` and `projects/`. */
export function findFleetRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, '.projenrc.ts')) && existsSync(path.join(dir, 'projects'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new CliError(
        `No fleet repository found at or above ${from}: no folder there has both .projenrc.ts and projects/. Fix: run fleet inside the fleet repository.`,
      );
    }
    dir = parent;
  }
}

/** Where a generated project is deployed, from the `fleet.deployedTo` field its blueprint writes into package.json. */
export type { Deployment };

/** Names of the services generated under `projects/`, optionally only those deployed to `deployedTo`. */
export function listServices(root: string, deployedTo?: Deployment): string[] {
  const projects = path.join(root, 'projects');
  return readdirSync(projects, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(projects, entry.name, '.projen', 'files.json')))
    .map((entry) => entry.name)
    .filter((name) => deployedTo === undefined || deploymentOf(path.join(projects, name)) === deployedTo)
    .sort();
}

/** A project's deployment; projects from blueprints that do not say are tenant services. */
export function deploymentOf(dir: string): Deployment {
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf-8'));
    return pkg.fleet?.deployedTo === CENTRAL_DEPLOYMENT ? CENTRAL_DEPLOYMENT : TENANT_DEPLOYMENT;
  } catch {
    return TENANT_DEPLOYMENT;
  }
}

/** The folder of service `name`, or an error listing the services there are. */
export function serviceDir(root: string, name: string): string {
  const services = listServices(root);
  if (!services.includes(name)) {
    throw new CliError(
      `Service ${JSON.stringify(name)} not found in ${path.join(root, 'projects')}. Fix: use one of ${services.map((s) => `"${s}"`).join(', ') || '(none yet: add one to .projenrc.ts and run npx projen)'}.`,
    );
  }
  return path.join(root, 'projects', name);
}

/** A service to operate on: its folder and its name. */
export interface ServiceLocation {
  readonly dir: string;
  readonly name: string;
}

/**
 * The service named `name` in the fleet around `cwd`; or, when `cwd` is a service's own folder
 * (a service copied out as its own repository has no fleet around it), that service.
 */
export function locateService(name: string | undefined, cwd: string = process.cwd()): ServiceLocation {
  const own = ownService(cwd);
  if (own && (name === undefined || name === own.name)) return own;
  if (name === undefined) {
    throw new CliError(`No service named and ${cwd} is not a service folder. Fix: name a service (e.g. fleet run scan-ingest ...), or run inside projects/<service>/.`);
  }
  return { dir: serviceDir(findFleetRoot(cwd), name), name };
}

/** True when `dir` is a generated service's folder. */
export function isServiceFolder(dir: string): boolean {
  return ownService(dir) !== undefined;
}

/** `dir` as a service when it is one (generated: .projen/files.json and src/stack.ts). */
function ownService(dir: string): ServiceLocation | undefined {
  const resolved = path.resolve(dir);
  if (!existsSync(path.join(resolved, '.projen', 'files.json')) || !existsSync(path.join(resolved, 'src', 'stack.ts'))) return undefined;
  return { dir: resolved, name: path.basename(resolved) };
}
