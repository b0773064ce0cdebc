import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { Project } from 'projen/lib/project';
import { ProjenrcFile } from 'projen/lib/projenrc';
import { tsJson, tsString } from '../private/encode';
import { FilePolicySet } from './file-policies';
import { ManagedTextFile } from './managed-text-file';
import { OwnedFile } from './owned-file';

/**
 * How `.projenrc.ts` runs: `fleet-synth` (bin of `@fleet/blueprints`) runs it with tsx's require
 * hook (esbuild transpiles, no type-check) and fails when it does not complete, even when it was
 * killed by a signal, which projen's task runner reports as success. projen's default, ts-node
 * with type-checking, takes seconds before synthesis starts; type errors are caught by `tsc` in
 * the build instead.
 */
export const PROJENRC_COMMAND = 'fleet-synth';

export interface BlueprintProjenrcOptions {
  /** The exported class that builds this project, e.g. `StepFunctionsService`. */
  readonly className: string;
  /** The module it is imported from, e.g. `@fleet/blueprints`. */
  readonly moduleSpecifier: string;
  /** The blueprint options, plain JSON, written into the file verbatim. */
  readonly options: object;
}

/**
 * The project's own `.projenrc.ts`, so a generated service also regenerates on its own once
 * copied out as a separate repository.
 *
 * In the fleet repository it is managed: the options come from the fleet manifest and
 * regenerating writes it back from them. In a standalone copy (the file is the program running
 * this synthesis, outside a fleet) it is the team's, as in any projen project: owned, never
 * rewritten, the place where they edit options. The first standalone run hands the copied file
 * over (marker line removed, writable; see `ContainedWrites`). Its sample is rendered from the
 * options the file itself passed, so it is kept out of the owned-file ledger (no proposals).
 */
export class BlueprintProjenrc extends ProjenrcFile {
  public readonly filePath = '.projenrc.ts';
  /** True when `.projenrc.ts` is the team's file (a standalone repository), false when the fleet manages it. */
  public readonly owned: boolean;

  constructor(project: Project, options: BlueprintProjenrcOptions) {
    super(project);
    // Rendered at synthesis: the manifest's file policies (`files`) are set after construction.
    const withPolicies = (): object => {
      const files = FilePolicySet.find(project)?.overrides;
      return files === undefined ? options.options : { ...options.options, files };
    };
    const contents = () => [
      `import { ${options.className} } from ${tsString(options.moduleSpecifier)};`,
      '',
      '// In the fleet repository these options come from the fleet manifest (the root .projenrc.ts);',
      '// in a standalone copy of this service, edit them here and run "npx projen".',
      `new ${options.className}(${tsJson(withPolicies(), 2)}).synth();`,
    ].join('\n');
    this.owned = isStandaloneProjenrc(project.outdir, this.filePath);
    if (this.owned) new OwnedFile(project, this.filePath, contents, { proposesUpdates: false });
    else new ManagedTextFile(project, this.filePath, { contents });
    project.defaultTask?.exec(PROJENRC_COMMAND);
  }
}

/**
 * A project's `.projenrc.ts` is its team's when that file is the program being run (node's
 * `process.argv[1]`, as `fleet-synth` starts it) and the project is not a workspace of a fleet
 * repository (`npx projen` inside `projects/<name>/` of the fleet keeps it managed, so the root's
 * next regeneration finds its own file). Blueprint tests and the fleet construct projects from
 * another program, so they always get the managed file.
 */
export function isStandaloneProjenrc(outdir: string, filePath = '.projenrc.ts'): boolean {
  const running = process.argv[1];
  if (!running || path.resolve(running) !== path.resolve(outdir, filePath)) return false;
  return !isFleetWorkspace(outdir);
}

/** `outdir` is `projects/<name>` of a repository whose root package.json lists it as a workspace. */
function isFleetWorkspace(outdir: string): boolean {
  const rootPackage = path.join(outdir, '..', '..', 'package.json');
  if (path.basename(path.dirname(outdir)) !== 'projects' || !existsSync(rootPackage)) return false;
  try {
    const workspaces = JSON.parse(readFileSync(rootPackage, 'utf-8')).workspaces;
    return Array.isArray(workspaces) && workspaces.includes(`projects/${path.basename(outdir)}`);
  } catch {
    return false;
  }
}
