import { TENANT_DEPLOYMENT, WORKFLOW_DIAGRAM_FILE } from '@fleet/contracts';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { Project } from 'projen/lib/project';
import type { Blueprint, ServiceDeclarationOf } from '../blueprint';
import { BlueprintProjenrc } from '../components/blueprint-projenrc';
import { renderCdkAppSource } from '../components/cdk-app-source';
import { GitHubCiWorkflow } from '../components/github-ci-workflow';
import { ManagedTextFile } from '../components/managed-text-file';
import { OwnedFile } from '../components/owned-file';
import { ownershipOf } from '../components/ownership';
import { PackageJson } from '../components/package-json';
import { TypeScriptConfig } from '../components/typescript-config';
import { addCdkLifecycleTasks } from '../components/single-stack-project';
import { assertValidBlueprintOptions, fleetValidated } from '../private/checks';
import { keepCleanupToFileManifest } from '../private/cleanup';
import { tsString } from '../private/encode';
import { recordedSynthesis } from '../private/synthesis-record';
import { BLUEPRINTS_VERSION, FLEET_PACKAGES, pinned } from '../versions';
import { adviseStepFunctionsService, StepFunctionsServiceOptions, validateStepFunctionsServiceOptions } from './options';
import { renderReadme } from './readme-source';
import { LOGGER_SOURCE, TABLE_SOURCE } from './runtime-sources';
import { renderHandlerSample, renderHandlerTestSample, renderSampleEvent, renderWorkflowSample, renderWorkflowTestSample } from './sample-sources';
import { renderStackSource, routeSampleFile, stackClassName } from './stack-source';
import { renderStackTestSource } from './stack-test-source';

export interface StepFunctionsServiceProjectOptions extends StepFunctionsServiceOptions {
  /**
   * Where to generate the service, relative to the working directory.
   * @default '.' (the service's own repository)
   */
  readonly outdir?: string;
}

/**
 * The `StepFunctionsService` blueprint: a complete, standalone service repository.
 *
 * Built on projen's base `Project` (not `AwsCdkTypeScriptApp`), composed of single-purpose
 * components: a fleet synthesizes hundreds of these, and the base project is about three
 * times faster to synthesize while leaving no default we would have to undo (per-project
 * installs, ts-node, `"*"` versions). See ARCHITECTURE.md.
 */
export class StepFunctionsService extends Project {
  /** The blueprint id used in the fleet manifest. */
  public static readonly BLUEPRINT_ID = 'step-functions-service';

  public readonly options: StepFunctionsServiceOptions;
  public readonly packageJson: PackageJson;
  public readonly projenrc: BlueprintProjenrc;

  constructor(projectOptions: StepFunctionsServiceProjectOptions) {
    const { outdir, ...options } = projectOptions;
    assertValidBlueprintOptions('service', projectOptions, options, validateStepFunctionsServiceOptions);
    super({ name: options.name, outdir: outdir ?? '.', commitGenerated: true });
    this.options = options;
    keepCleanupToFileManifest(this);

    // Synthesis and tests: tsx and jest, no ts-node type-check on every `npx projen`.
    this.projenrc = new BlueprintProjenrc(this, {
      className: 'StepFunctionsService',
      moduleSpecifier: FLEET_PACKAGES.blueprints,
      options,
    });
    this.packageJson = new PackageJson(this, {
      name: options.name,
      description: options.description,
      dependencies: pinned('@aws-lambda-powertools/logger', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'),
      devDependencies: {
        ...pinned(
          '@types/aws-lambda', '@types/jest', '@types/node', 'aws-cdk-lib', 'aws-sdk-client-mock', 'constructs',
          'esbuild', 'jest', 'projen', 'ts-jest', 'tsx', 'typescript',
        ),
        [FLEET_PACKAGES.blueprints]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.workflows]: BLUEPRINTS_VERSION,
        [FLEET_PACKAGES.cli]: BLUEPRINTS_VERSION,
      },
      fields: {
        engines: { node: '>=20' },
        // Read by the fleet CLI (e.g. `fleet cost` prices it once per tenant account).
        fleet: { blueprint: StepFunctionsService.BLUEPRINT_ID, deployedTo: TENANT_DEPLOYMENT },
        jest: {
          displayName: options.name,
          preset: 'ts-jest',
          testEnvironment: 'node',
          testMatch: ['<rootDir>/test/**/*.test.ts'],
          setupFiles: ['<rootDir>/test/setup-env.ts'],
        },
      },
    });
    new TypeScriptConfig(this, {
      include: ['src/**/*.ts', 'test/**/*.ts', '.projenrc.ts'],
      compilerOptions: { noEmit: true, types: ['node', 'jest'] },
    });
    this.addTasks();
    this.addCdkApp();
    this.addHandlers();
    this.addWorkflow();
    this.addSampleEvents();
    new ManagedTextFile(this, 'test/stack.test.ts', { contents: renderStackTestSource(options) });
    new ManagedTextFile(this, 'test/setup-env.ts', {
      contents: [
        '// Handlers read these at import time; in AWS the stack sets them.',
        `process.env.POWERTOOLS_SERVICE_NAME ??= ${tsString(options.name)};`,
        "// Quiet tests: set POWERTOOLS_LOG_LEVEL=DEBUG to see the handlers' log lines.",
        "process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';",
        "process.env.FLEET_TENANT_ID ??= '111122223333';",
      ].join('\n'),
    });
    new GitHubCiWorkflow(this);
    this.gitignore.exclude('node_modules/', 'cdk.out/', 'coverage/', '*.tsbuildinfo');
    new ManagedTextFile(this, 'README.md', {
      contents: () =>
        renderReadme({
          options,
          blueprintVersion: BLUEPRINTS_VERSION,
          ownership: ownershipOf(this),
          workflowDiagram: readIfExists(path.join(this.outdir, WORKFLOW_DIAGRAM_FILE)),
        }),
    });
  }

  /** Synthesizes with a completion record, so a run that does not finish is never taken for a clean one. */
  public synth(): void {
    recordedSynthesis(this, { kind: 'service', name: this.name, outdir: this.outdir }, () => {
      super.synth();
      return [this.outdir];
    });
  }

  /** projen's build lifecycle: compile = type-check, post-compile = synth, test = jest. */
  private addTasks(): void {
    addCdkLifecycleTasks(this, 'Run handler tests and stack assertions');
    this.addTask('workflow:run', {
      description: 'Run the workflow locally with the real handlers and an embedded DynamoDB: npx projen workflow:run --input events/<file>.json',
      exec: 'fleet run',
      receiveArgs: true,
    });
  }

  private addCdkApp(): void {
    new ManagedTextFile(this, 'src/main.ts', { contents: renderCdkAppSource(stackClassName(this.options.name), this.options.name) });
    new ManagedTextFile(this, 'src/stack.ts', { contents: renderStackSource(this.options, BLUEPRINTS_VERSION) });
    new ManagedTextFile(this, 'src/runtime/logger.ts', { contents: LOGGER_SOURCE });
    new ManagedTextFile(this, 'src/runtime/table.ts', { contents: TABLE_SOURCE });
    this.addGitIgnore('/cdk.out/');
  }

  private addHandlers(): void {
    for (const [name, fn] of Object.entries(this.options.functions)) {
      new OwnedFile(this, path.posix.join('src/functions', `${name}.ts`), renderHandlerSample(name, fn));
      new OwnedFile(this, path.posix.join('test/functions', `${name}.test.ts`), renderHandlerTestSample(name, fn));
    }
  }

  private addWorkflow(): void {
    new OwnedFile(this, 'src/workflow.ts', renderWorkflowSample(this.options));
    new OwnedFile(this, 'test/workflow.test.ts', renderWorkflowTestSample(this.options, stackClassName(this.options.name)));
  }

  private addSampleEvents(): void {
    const written = new Set<string>();
    for (const route of this.options.events ?? []) {
      const file = routeSampleFile(route.detailType);
      if (written.has(file)) continue;
      written.add(file);
      new OwnedFile(this, file, renderSampleEvent(this.options, route));
    }
  }
}

/** Where `fleet graph <service> --write` keeps the workflow diagram the README embeds. */
export { WORKFLOW_DIAGRAM_FILE };

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf-8') : undefined;
}

/** The `StepFunctionsService` blueprint as the fleet sees it. */
export const STEP_FUNCTIONS_SERVICE: Blueprint<StepFunctionsServiceOptions> = {
  id: StepFunctionsService.BLUEPRINT_ID,
  description: 'Lambda functions orchestrated by a Standard state machine, EventBridge routes, one DynamoDB table',
  validate: validateStepFunctionsServiceOptions,
  advise: adviseStepFunctionsService,
  create: (options, outdir) => new StepFunctionsService(fleetValidated({ ...options, outdir })),
};

declare module '../blueprint' {
  /** Registers the options of `step-functions-service` for the manifest's types (`ServiceDeclaration`). */
  interface BlueprintOptionsMap {
    'step-functions-service': StepFunctionsServiceOptions;
  }
}

/** A manifest entry of the `step-functions-service` blueprint. */
export type StepFunctionsServiceDeclaration = ServiceDeclarationOf<'step-functions-service'>;
