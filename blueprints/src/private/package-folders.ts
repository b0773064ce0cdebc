import type { Problem } from '@fleet/contracts';
import { existsSync } from 'fs';
import * as path from 'path';
import { isInside, realpathOfClosestExisting } from './safe-fs';

/** A folder of the repository as plain segments (letters, digits, `.`, `_`, `-`; each starting with a letter or digit, so no `..`, no spaces). */
export const PACKAGE_FOLDER = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)*$/;

/** Folders a blueprint package cannot be in: installed or built output, never the repository's own source. */
export const NOT_SOURCE = ['node_modules', 'lib', 'cdk.out', 'coverage', '.fleet'];

const FIX = 'name the folder of a blueprint package in this repository, e.g. "team-blueprints/scheduled-job" (npx fleet new blueprint <name> creates one)';

export interface PackageFolderContext {
  /** The fleet root. */
  readonly root: string;
  /** Folders that are workspaces already (the library packages). */
  readonly libraryPackages: readonly string[];
  /** Where the generated services live (`projects`): a service is not a blueprint package. */
  readonly projectsDir: string;
}

/**
 * Every problem with `Fleet({ blueprintPackages })`. Each folder becomes an npm workspace, a
 * jest project and a step of `build:packages` and `typecheck` (task commands, so only plain
 * path segments), so it must be a folder of this repository holding a package: by its real
 * path (a symbolic link to elsewhere would build and test code outside the repository), not
 * installed or built output, not a library package or a service (a second workspace entry),
 * each listed once.
 */
export function blueprintPackageProblems(folders: unknown, context: PackageFolderContext): Problem[] {
  if (folders === undefined) return [];
  if (!Array.isArray(folders)) {
    return [{ subject: 'blueprintPackages', problem: 'must be a list of folders', value: folders, fix: `write blueprintPackages: ["team-blueprints/scheduled-job"]; ${FIX.replace(/^name/, 'each names')}` }];
  }
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  folders.forEach((folder: unknown, index) => {
    const subject = `blueprintPackages[${index}]`;
    if (typeof folder !== 'string' || !PACKAGE_FOLDER.test(folder)) {
      problems.push({ subject, problem: 'must be a folder inside the fleet repository, relative to its root, of letters, digits, ".", "_", "-" and "/"', value: folder, fix: FIX });
      return;
    }
    const segments = folder.split('/');
    const output = segments.find((segment) => NOT_SOURCE.includes(segment));
    if (output) {
      problems.push({ subject, problem: `is inside ${output}/, which holds installed or built files, not the repository's source`, value: folder, fix: FIX });
      return;
    }
    if (context.libraryPackages.includes(folder) || segments[0] === context.projectsDir) {
      problems.push({ subject, problem: segments[0] === context.projectsDir ? `is a generated service folder (${context.projectsDir}/), not a blueprint package` : 'is one of the fleet\'s own packages, a workspace already', value: folder, fix: FIX });
      return;
    }
    const first = seen.get(folder);
    if (first !== undefined) {
      problems.push({ subject, problem: `is listed twice (blueprintPackages[${first}] and blueprintPackages[${index}])`, value: folder, fix: 'list each package once' });
      return;
    }
    seen.set(folder, index);
    const full = path.join(context.root, folder);
    const root = realpathOfClosestExisting(context.root);
    if (!isInside(root, realpathOfClosestExisting(full))) {
      problems.push({ subject, problem: 'leads outside the fleet repository through a symbolic link (its build and tests would run code from there)', value: folder, fix: `${FIX}: a real folder, not a link to one elsewhere` });
      return;
    }
    if (!existsSync(path.join(full, 'package.json'))) problems.push({ subject, problem: 'has no package.json', value: folder, fix: FIX });
  });
  return problems;
}
