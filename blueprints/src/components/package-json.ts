import { JsonFile } from 'projen/lib/json';
import { Project } from 'projen/lib/project';

export interface PackageJsonOptions {
  readonly name: string;
  /** @default '0.0.0' */
  readonly version?: string;
  /** @default - none */
  readonly description?: string;
  /** Not publishable. @default true */
  readonly private?: boolean;
  /** Runtime dependencies, exact versions. @default {} */
  readonly dependencies?: Record<string, string>;
  /** Build and test dependencies, exact versions. @default {} */
  readonly devDependencies?: Record<string, string>;
  /** Any other top-level fields (main, types, bin, files, workspaces, jest, ...). @default {} */
  readonly fields?: Record<string, unknown>;
  /**
   * Expose every projen task as an npm script (`npm test` runs `npx projen test`).
   * @default true
   */
  readonly taskScripts?: boolean;
  /** Where to write it, relative to the project. @default 'package.json' */
  readonly filePath?: string;
}

/**
 * A managed `package.json` with exact versions only.
 *
 * projen's own NodePackage resolves `"*"` ranges after an install and installs per project;
 * a fleet installs once at the root (npm workspaces) and pins every version in
 * `versions.ts`, so this component only writes the file.
 */
export class PackageJson extends JsonFile {
  constructor(project: Project, options: PackageJsonOptions) {
    const scripts = () =>
      options.taskScripts === false
        ? undefined
        : Object.fromEntries(
          project.tasks.all
            .filter((task) => task.name !== 'default' && task.name !== 'eject' && task.steps.length > 0)
            .map((task) => [task.name, `npx projen ${task.name}`]),
        );
    super(project, options.filePath ?? 'package.json', {
      obj: {
        name: options.name,
        version: options.version ?? '0.0.0',
        description: options.description,
        private: options.private ?? true,
        ...(options.fields ?? {}),
        scripts,
        dependencies: sortKeys(options.dependencies),
        devDependencies: sortKeys(options.devDependencies),
      },
      omitEmpty: true,
    });
  }
}

function sortKeys(record: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!record) return undefined;
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
