import { Project } from 'projen/lib/project';
import type { Blueprint } from '../blueprint';
import { BlueprintProjenrc } from '../components/blueprint-projenrc';
import { GitHubCiWorkflow } from '../components/github-ci-workflow';
import { ManagedTextFile } from '../components/managed-text-file';
import { OwnedFile } from '../components/owned-file';
import { ownershipOf } from '../components/ownership';
import { PackageJson } from '../components/package-json';
import { TypeScriptConfig } from '../components/typescript-config';
import { assertValidBlueprintOptions } from '../private/checks';
import { keepCleanupToFileManifest } from '../private/cleanup';
import { BLUEPRINTS_VERSION, FLEET_PACKAGES, pinned } from '../versions';
import { ControlPlaneOptions, validateControlPlaneOptions } from './options';
import { controlPlaneStackClass, renderControlPlaneReadme, renderControlPlaneStack, renderControlPlaneStackTest, renderOperationsSample } from './sources';

export interface ControlPlaneProjectOptions extends ControlPlaneOptions {
  /**
   * Where to generate the project, relative to the working directory.
   * @default '.' (its own repository)
   */
  readonly outdir?: string;
}

/**
 * The `ControlPlane` blueprint: the central account's CDK app, a complete standalone repository.
 *
 * Same shape as `StepFunctionsService`: projen's base `Project`, one component per concern,
 * managed files for what must stay identical (the stack wiring, its tests, tooling) and owned
 * files for the team's additions (`src/operations.ts`). Today it holds the central failure path;
 * the rollout engine and the tenant registry join it as more managed constructs behind new
 * options (see `renderControlPlaneStack`).
 */
export class ControlPlane extends Project {
  /** The blueprint id used in the fleet manifest. */
  public static readonly BLUEPRINT_ID = 'control-plane';

  public readonly options: ControlPlaneOptions;
  public readonly packageJson: PackageJson;
  public readonly projenrc: BlueprintProjenrc;

  constructor(projectOptions: ControlPlaneProjectOptions) {
    const { outdir, ...options } = projectOptions;
    assertValidBlueprintOptions('control plane', options, validateControlPlaneOptions);
    super({ name: options.name, outdir: outdir ?? '.', commitGenerated: true });
    this.options = options;
    keepCleanupToFileManifest(this);

    this.projenrc = new BlueprintProjenrc(this, { className: 'ControlPlane', moduleSpecifier: FLEET_PACKAGES.blueprints, options });
    this.packageJson = new PackageJson(this, {
      name: options.name,
      description: options.description,
      devDependencies: {
        ...pinned('@types/jest', '@types/node', 'aws-cdk-lib', 'constructs', 'jest', 'projen', 'ts-jest', 'tsx', 'typescript'),
        [FLEET_PACKAGES.blueprints]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.workflows]: BLUEPRINTS_VERSION,
      },
      fields: {
        engines: { node: '>=20' },
        // Read by the fleet CLI: deployed once in the central account, not into every tenant account.
        fleet: { blueprint: 'control-plane', deployedTo: 'central-account' },
        jest: { displayName: options.name, preset: 'ts-jest', testEnvironment: 'node', testMatch: ['<rootDir>/test/**/*.test.ts'] },
      },
    });
    new TypeScriptConfig(this, {
      include: ['src/**/*.ts', 'test/**/*.ts', '.projenrc.ts'],
      compilerOptions: { noEmit: true, types: ['node', 'jest'] },
    });
    this.addTasks();
    this.addCdkApp();
    new ManagedTextFile(this, 'test/stack.test.ts', { contents: renderControlPlaneStackTest(options) });
    new OwnedFile(this, 'src/operations.ts', renderOperationsSample(options));
    new GitHubCiWorkflow(this);
    this.gitignore.exclude('node_modules/', 'cdk.out/', 'coverage/', '*.tsbuildinfo');
    new ManagedTextFile(this, 'README.md', {
      contents: () => renderControlPlaneReadme({
        options,
        blueprintVersion: BLUEPRINTS_VERSION,
        ownership: ownershipOf(this),
      }),
    });
  }

  /** projen's build lifecycle: compile = type-check, post-compile = synth, test = jest. */
  private addTasks(): void {
    const { compileTask, postCompileTask, testTask, buildTask } = this.projectBuild;
    compileTask.description = 'Type-check sources and tests';
    compileTask.exec('tsc --noEmit');
    postCompileTask.description = 'Synthesize the CloudFormation template into cdk.out/ (offline, no AWS account)';
    postCompileTask.exec('tsx src/main.ts', { env: { CDK_OUTDIR: 'cdk.out' } });
    testTask.description = 'Run the stack assertions';
    testTask.exec('jest');
    buildTask.description = 'Type-check, synthesize and test';
    this.addTask('synth', { description: postCompileTask.description }).spawn(postCompileTask);
    this.addTask('drift', { description: 'Fail, naming the files, if regeneration would change any file', exec: 'fleet-drift' });
  }

  private addCdkApp(): void {
    const cls = controlPlaneStackClass(this.options.name);
    new ManagedTextFile(this, 'src/main.ts', {
      contents: [
        "import { App } from 'aws-cdk-lib';",
        `import { ${cls} } from './stack';`,
        '',
        'const app = new App();',
        `new ${cls}(app, '${this.options.name}');`,
        'app.synth();',
      ].join('\n'),
    });
    new ManagedTextFile(this, 'src/stack.ts', { contents: renderControlPlaneStack(this.options, BLUEPRINTS_VERSION) });
    this.addGitIgnore('/cdk.out/');
  }
}

/** The `ControlPlane` blueprint as the fleet sees it: register with `new Fleet({ blueprints: [CONTROL_PLANE] })`. */
export const CONTROL_PLANE: Blueprint = {
  id: ControlPlane.BLUEPRINT_ID,
  description: 'The central account: organization-scoped failure bus and encrypted central DLQ (rollout engine to come)',
  validate: validateControlPlaneOptions,
  create: (options, outdir) => new ControlPlane({ ...options, outdir }),
};
