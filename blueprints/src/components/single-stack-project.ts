import type { Deployment } from '@fleet/contracts';
import { Project } from 'projen/lib/project';
import { keepCleanupToFileManifest } from '../private/cleanup';
import { FleetManifestError } from '../errors';
import { skeletonIdentityProblems } from '../private/skeleton-checks';
import { recordedSynthesis } from '../private/synthesis-record';
import { BLUEPRINTS_VERSION, FLEET_PACKAGES, PinnedPackage, pinned } from '../versions';
import { BlueprintProjenrc } from './blueprint-projenrc';
import { renderCdkAppSource } from './cdk-app-source';
import { FilePolicyOverrides, FilePolicySet } from './file-policies';
import { GitHubCiWorkflow } from './github-ci-workflow';
import { ManagedTextFile } from './managed-text-file';
import { PackageJson } from './package-json';
import { TypeScriptConfig } from './typescript-config';

/** Where a project's stack is deployed; the fleet CLI reads it from package.json (`fleet.deployedTo`). */
export type { Deployment };

/**
 * The skeleton's managed files no `files` override may hand to the team: the tooling every
 * service shares, the stack `src/main.ts` imports and its test (what the blueprint guarantees:
 * the guardrails, no queue). Kept here, not per blueprint, so no blueprint can forget them.
 */
export const SKELETON_MANAGED_FILES = ['.projenrc.ts', 'src/main.ts', 'src/stack.ts', 'test/stack.test.ts'];

export interface SingleStackProjectOptions extends FilePolicyOverrides {
  /** The project name: folder, package and stack name. */
  readonly name: string;
  /** One sentence for package.json. */
  readonly description?: string;
  /** The blueprint id, written into package.json (`fleet.blueprint`). */
  readonly blueprintId: string;
  /** The class `.projenrc.ts` instantiates. */
  readonly className: string;
  /**
   * The package `.projenrc.ts` imports `className` from, added to the project's dev
   * dependencies at this exact version: a team's own blueprint package, so a service it
   * generates also regenerates on its own (in the fleet, and copied out).
   * @default - `@fleet/blueprints` at the fleet's version
   */
  readonly blueprintPackage?: BlueprintPackage;
  /** The options `.projenrc.ts` passes to it. */
  readonly blueprintOptions: object;
  /** Where the stack goes: once in the central account, or into every tenant account. */
  readonly deployedTo: Deployment;
  /** The stack class `src/stack.ts` exports. */
  readonly stackClass: string;
  /** `outdir` of the projen project. */
  readonly outdir: string;
  /**
   * Runtime dependencies of the service (what its Lambda handlers import), pinned exactly.
   * @default [] (a stack without Lambda code)
   */
  readonly dependencies?: readonly PinnedPackage[];
  /**
   * Build and test dependencies beyond the skeleton's own (`aws-cdk-lib`, `constructs`, `jest`,
   * `projen`, `ts-jest`, `tsx`, `typescript`, the node and jest types, `@fleet/blueprints`,
   * `@fleet/workflows`), pinned exactly.
   * @default []
   */
  readonly devDependencies?: readonly PinnedPackage[];
  /**
   * Add `@fleet/cli` as a dev dependency (services whose tasks call `fleet ...`).
   * @default false
   */
  readonly cliDevDependency?: boolean;
  /**
   * Files jest runs before each test file (`jest.setupFiles`), e.g. `<rootDir>/test/setup-env.ts`.
   * @default [] (none)
   */
  readonly jestSetupFiles?: readonly string[];
  /**
   * The description of the `test` task.
   * @default 'Run the stack assertions'
   */
  readonly testDescription?: string;
}

/** A published package that holds a blueprint class, pinned exactly. */
export interface BlueprintPackage {
  /** The npm package name, e.g. `@my-team/scheduled-job-blueprint`. */
  readonly name: string;
  /** Its exact version (no range), e.g. `0.1.0`. */
  readonly version: string;
}

/**
 * A standalone repository holding one CDK stack (the step-functions service, the control plane,
 * the tenant baseline, a team's own blueprints): the one skeleton every blueprint shares, so the
 * blueprints built on it only add their stack, its test, their owned files and their README.
 *
 * Managed here: `.projenrc.ts`, `package.json` (exact versions), `tsconfig.json`, `src/main.ts`,
 * the CI workflow with the drift check, `.gitignore`, and projen's build lifecycle: compile =
 * type-check, post-compile = synth into `cdk.out/` (offline, no AWS account), test = jest.
 */
export class SingleStackProject extends Project {
  public readonly packageJson: PackageJson;
  public readonly projenrc: BlueprintProjenrc;

  constructor(options: SingleStackProjectOptions) {
    // The class and package land in .projenrc.ts (code) and package.json: checked before anything exists.
    const identity = skeletonIdentityProblems(options);
    if (identity.length > 0) throw new FleetManifestError(identity, `The blueprint of ${options.name}`);
    super({ name: options.name, outdir: options.outdir, commitGenerated: true });
    keepCleanupToFileManifest(this);
    FilePolicySet.of(this).keepManaged(...SKELETON_MANAGED_FILES).override(options.files, 'files');

    const blueprintPackage = options.blueprintPackage ?? { name: FLEET_PACKAGES.blueprints, version: BLUEPRINTS_VERSION };
    this.projenrc = new BlueprintProjenrc(this, { className: options.className, moduleSpecifier: blueprintPackage.name, options: options.blueprintOptions });
    this.packageJson = new PackageJson(this, {
      name: options.name,
      description: options.description,
      dependencies: options.dependencies?.length ? pinned(...options.dependencies) : undefined,
      devDependencies: {
        ...pinned('@types/jest', '@types/node', 'aws-cdk-lib', 'constructs', 'jest', 'projen', 'ts-jest', 'tsx', 'typescript', ...(options.devDependencies ?? [])),
        [FLEET_PACKAGES.blueprints]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.workflows]: BLUEPRINTS_VERSION,
        ...(options.cliDevDependency ? { [FLEET_PACKAGES.cli]: BLUEPRINTS_VERSION } : {}),
        [blueprintPackage.name]: blueprintPackage.version,
      },
      fields: {
        engines: { node: '>=20' },
        // Read by the fleet CLI (fleet cost multiplies what runs in every tenant account).
        fleet: { blueprint: options.blueprintId, deployedTo: options.deployedTo },
        jest: {
          displayName: options.name,
          preset: 'ts-jest',
          testEnvironment: 'node',
          testMatch: ['<rootDir>/test/**/*.test.ts'],
          ...(options.jestSetupFiles?.length ? { setupFiles: [...options.jestSetupFiles] } : {}),
        },
      },
    });
    new TypeScriptConfig(this, {
      include: ['src/**/*.ts', 'test/**/*.ts', '.projenrc.ts'],
      compilerOptions: { noEmit: true, types: ['node', 'jest'] },
    });
    addCdkLifecycleTasks(this, options.testDescription ?? 'Run the stack assertions');
    new ManagedTextFile(this, 'src/main.ts', { contents: renderCdkAppSource(options.stackClass, options.name) });
    this.addGitIgnore('/cdk.out/');
    new GitHubCiWorkflow(this);
    this.gitignore.exclude('node_modules/', 'cdk.out/', 'coverage/', '*.tsbuildinfo');
  }

  /**
   * Synthesizes with a completion record, so a run that does not finish is never taken for a
   * clean one. The file policies are applied first; a bad `files` option throws every problem
   * before anything is written.
   */
  public synth(): void {
    recordedSynthesis(this, { kind: 'service', name: this.name, outdir: this.outdir }, () => {
      const problems = FilePolicySet.of(this).apply();
      if (problems.length > 0) throw new FleetManifestError(problems, `The options of ${this.name}`);
      super.synth();
      return [this.outdir];
    });
  }
}

/**
 * projen's build lifecycle for a CDK project without the cdk CLI: compile = type-check,
 * post-compile = synth into `cdk.out/` (offline), test = jest; plus `synth` and `drift`.
 */
export function addCdkLifecycleTasks(project: Project, testDescription: string): void {
  const { compileTask, postCompileTask, testTask, buildTask } = project.projectBuild;
  compileTask.description = 'Type-check sources and tests';
  compileTask.exec('tsc --noEmit');
  postCompileTask.description = 'Synthesize the CloudFormation template into cdk.out/ (offline, no AWS account)';
  postCompileTask.exec('tsx src/main.ts', { env: { CDK_OUTDIR: 'cdk.out' } });
  testTask.description = testDescription;
  testTask.exec('jest');
  buildTask.description = 'Type-check, synthesize and test';
  project.addTask('synth', { description: postCompileTask.description }).spawn(postCompileTask);
  project.addTask('drift', { description: 'Fail, naming the files, if regeneration would change any file', exec: 'fleet-drift' });
}

/** The "Working on it" section of a stack project's README. */
export function renderStackProjectCommands(): string[] {
  return [
    '## Working on it',
    '',
    '| command | what it does |',
    '|---|---|',
    '| `npx projen` | regenerate the managed files from the options |',
    '| `npx projen build` | type-check, synthesize the stack into `cdk.out/` (offline), test |',
    '| `npx projen test` | stack assertions |',
    '| `npx fleet-drift` | fail if regeneration would change any file (CI runs it) |',
    '',
  ];
}
