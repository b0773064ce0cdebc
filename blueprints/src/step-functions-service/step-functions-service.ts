import { TENANT_DEPLOYMENT, WORKFLOW_DIAGRAM_FILE } from '@fleet/contracts';
import * as path from 'path';
import type { Blueprint, ServiceDeclarationOf } from '../blueprint';
import { FilePolicyOverrides, FilePolicySet } from '../components/file-policies';
import { ManagedTextFile } from '../components/managed-text-file';
import { OwnedFile } from '../components/owned-file';
import { ownershipOf } from '../components/ownership';
import { SingleStackProject } from '../components/single-stack-project';
import { assertValidBlueprintOptions, fleetValidated } from '../private/checks';
import { tsString } from '../private/encode';
import { BLUEPRINTS_VERSION } from '../versions';
import { adviseStepFunctionsService, StepFunctionsServiceOptions, validateStepFunctionsServiceOptions } from './options';
import { renderReadme } from './readme-source';
import { LOGGER_SOURCE, TABLE_SOURCE } from './runtime-sources';
import { renderHandlerSample, renderHandlerTestSample, renderSampleEvent, renderWorkflowSample, renderWorkflowTestSample } from './sample-sources';
import { renderStackSource, routeSampleFile, stackClassName } from './stack-source';
import { renderStackTestSource } from './stack-test-source';

export interface StepFunctionsServiceProjectOptions extends StepFunctionsServiceOptions, FilePolicyOverrides {
  /**
   * Where to generate the service, relative to the working directory.
   * @default '.' (the service's own repository)
   */
  readonly outdir?: string;
}

/**
 * The `StepFunctionsService` blueprint: a complete, standalone service repository.
 *
 * A `SingleStackProject` (projen's base `Project`, not `AwsCdkTypeScriptApp`), composed of
 * single-purpose components: a fleet synthesizes hundreds of these, and the base project is
 * about three times faster to synthesize while leaving no default we would have to undo
 * (per-project installs, ts-node, `"*"` versions). See ARCHITECTURE.md.
 */
export class StepFunctionsService extends SingleStackProject {
  /** The blueprint id used in the fleet manifest. */
  public static readonly BLUEPRINT_ID = 'step-functions-service';

  public readonly options: StepFunctionsServiceOptions;

  constructor(projectOptions: StepFunctionsServiceProjectOptions) {
    const { outdir, files, ...options } = projectOptions;
    assertValidBlueprintOptions('service', projectOptions, options, validateStepFunctionsServiceOptions);
    // The shared skeleton: .projenrc.ts, package.json, tsconfig.json, src/main.ts, CI with the
    // drift check, .gitignore and the compile/synth/test lifecycle (tsx and jest, no ts-node).
    super({
      name: options.name,
      description: options.description,
      blueprintId: StepFunctionsService.BLUEPRINT_ID,
      className: 'StepFunctionsService',
      blueprintOptions: options,
      // Read by the fleet CLI (e.g. `fleet cost` prices it once per tenant account).
      deployedTo: TENANT_DEPLOYMENT,
      stackClass: stackClassName(options.name),
      outdir: outdir ?? '.',
      dependencies: ['@aws-lambda-powertools/logger', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
      devDependencies: ['@types/aws-lambda', 'aws-sdk-client-mock', 'esbuild'],
      cliDevDependency: true,
      jestSetupFiles: ['<rootDir>/test/setup-env.ts'],
      testDescription: 'Run handler tests and stack assertions',
      files,
    });
    this.options = options;
    FilePolicySet.of(this)
      // The guarantees of the blueprint (the stack wiring, the runtime helpers, the no-SQS
      // guard in the stack test) stay managed whatever the manifest says.
      .keepManaged(...STEP_FUNCTIONS_MANAGED_FILES)
      // Sample events are a starting point: a blueprint change is not worth a merge.
      .defaults({ 'events/**': 'add-only' });
    this.addTask('workflow:run', {
      description: 'Run the workflow locally with the real handlers and an embedded DynamoDB: npx projen workflow:run --input events/<file>.json',
      exec: 'fleet run',
      receiveArgs: true,
    });
    new ManagedTextFile(this, 'src/stack.ts', { contents: renderStackSource(this.options, BLUEPRINTS_VERSION) });
    new ManagedTextFile(this, 'src/runtime/logger.ts', { contents: LOGGER_SOURCE });
    new ManagedTextFile(this, 'src/runtime/table.ts', { contents: TABLE_SOURCE });
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
    new ManagedTextFile(this, 'README.md', {
      contents: () =>
        renderReadme({
          options,
          blueprintVersion: BLUEPRINTS_VERSION,
          // The diagram is the team's, written only by `fleet graph --write`; the README links to it.
          ownership: { ...ownershipOf(this), others: { [WORKFLOW_DIAGRAM_FILE]: 'owned, drawn by `npx fleet graph --write`' } },
        }),
    });
  }

  private addHandlers(): void {
    for (const [name, fn] of Object.entries(this.options.functions)) {
      new OwnedFile(this, path.posix.join('src/functions', `${name}.ts`), renderHandlerSample(name, fn));
      new OwnedFile(this, path.posix.join('test/functions', `${name}.test.ts`), renderHandlerTestSample(name, fn));
    }
  }

  private addWorkflow(): void {
    new OwnedFile(this, 'src/workflow.ts', renderWorkflowSample(this.options));
    new OwnedFile(this, 'test/workflow.test.ts', renderWorkflowTestSample(this.options));
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

/** Managed files of the service that no `files` override may hand to the team. */
export const STEP_FUNCTIONS_MANAGED_FILES = ['src/stack.ts', 'src/runtime/**', 'test/stack.test.ts', 'test/setup-env.ts'];

/** Where `fleet graph <service> --write` keeps the workflow diagram (the team's; the README links to it). */
export { WORKFLOW_DIAGRAM_FILE };

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
