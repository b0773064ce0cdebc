import { Project } from 'projen/lib/project';
import { ProjenrcFile } from 'projen/lib/projenrc';
import { tsJson, tsString } from '../private/encode';
import { FilePolicySet } from './file-policies';
import { ManagedTextFile } from './managed-text-file';

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
 * It is managed: regenerating writes it back from the same options, so in the fleet repository
 * the options come from the fleet manifest, and in a standalone copy from this file itself.
 */
export class BlueprintProjenrc extends ProjenrcFile {
  public readonly filePath = '.projenrc.ts';

  constructor(project: Project, options: BlueprintProjenrcOptions) {
    super(project);
    // Rendered at synthesis: the manifest's file policies (`files`) are set after construction.
    const withPolicies = (): object => {
      const files = FilePolicySet.find(project)?.overrides;
      return files === undefined ? options.options : { ...options.options, files };
    };
    new ManagedTextFile(project, this.filePath, {
      contents: () => [
        `import { ${options.className} } from ${tsString(options.moduleSpecifier)};`,
        '',
        '// In the fleet repository these options come from the fleet manifest (the root .projenrc.ts);',
        '// in a standalone copy of this service, edit them here and run "npx projen".',
        `new ${options.className}(${tsJson(withPolicies(), 2)}).synth();`,
      ].join('\n'),
    });
    project.defaultTask?.exec(PROJENRC_COMMAND);
  }
}
