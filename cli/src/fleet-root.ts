import { existsSync, readdirSync } from 'fs';
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

/** Names of the services generated under `projects/`. */
export function listServices(root: string): string[] {
  const projects = path.join(root, 'projects');
  return readdirSync(projects, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(projects, entry.name, '.projen', 'files.json')))
    .map((entry) => entry.name)
    .sort();
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
