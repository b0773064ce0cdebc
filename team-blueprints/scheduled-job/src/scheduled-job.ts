import { readFileSync } from 'fs';
import * as path from 'path';
import {
  assertValidBlueprintOptions, Blueprint, fleetValidated, ManagedTextFile, OwnedFile, ownershipOf, ServiceDeclarationOf, SingleStackProject, TENANT_DEPLOYMENT,
} from '@fleet/blueprints';
import { ScheduledJobOptions, validateScheduledJobOptions } from './options';
import { renderHandlerSample, renderHandlerTestSample, renderReadme, renderStack, renderStackTest, resolveJob, stackClassOf } from './sources';

/** This package, as the services it generates depend on it: their `.projenrc.ts` imports `ScheduledJob` from it. */
const PACKAGE: { name: string; version: string } = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));

export interface ScheduledJobProjectOptions extends ScheduledJobOptions {
  /**
   * Where to generate the project, relative to the working directory.
   * @default '.' (its own repository)
   */
  readonly outdir?: string;
}

/**
 * The `scheduled-job` blueprint: work that runs on a schedule in every tenant account. A
 * jittered EventBridge Scheduler schedule starts a Standard workflow that runs one to three
 * functions in order; one DynamoDB table; the fleet's guardrails (they come with
 * `ServiceStack`). Built only on the public kit of `@fleet/blueprints`.
 */
export class ScheduledJob extends SingleStackProject {
  /** The blueprint id used in the fleet manifest. */
  public static readonly BLUEPRINT_ID = 'scheduled-job';

  public readonly options: ScheduledJobOptions;

  constructor(projectOptions: ScheduledJobProjectOptions) {
    const { outdir, ...options } = projectOptions;
    assertValidBlueprintOptions('scheduled job', projectOptions, options, validateScheduledJobOptions);
    const job = resolveJob(options);
    const writes = job.functions.some((fn) => fn.tableAccess === 'write' || fn.tableAccess === 'read-write');
    super({
      name: options.name,
      description: job.description,
      blueprintId: ScheduledJob.BLUEPRINT_ID,
      className: 'ScheduledJob',
      blueprintPackage: PACKAGE,
      blueprintOptions: options,
      deployedTo: TENANT_DEPLOYMENT,
      stackClass: stackClassOf(options.name),
      outdir: outdir ?? '.',
      dependencies: writes ? ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'] : [],
      devDependencies: ['esbuild', ...(writes ? ['aws-sdk-client-mock' as const] : [])],
      testDescription: 'Run the stack assertions and the handler tests',
    });
    this.options = options;
    new ManagedTextFile(this, 'src/stack.ts', { contents: renderStack(job, PACKAGE.version) });
    new ManagedTextFile(this, 'test/stack.test.ts', { contents: renderStackTest(job) });
    for (const fn of job.functions) {
      new OwnedFile(this, `src/functions/${fn.name}.ts`, renderHandlerSample(job, fn));
      new OwnedFile(this, `test/functions/${fn.name}.test.ts`, renderHandlerTestSample(fn));
    }
    new ManagedTextFile(this, 'README.md', { contents: () => renderReadme(job, PACKAGE.version, ownershipOf(this)) });
  }
}

/** The `scheduled-job` blueprint as the fleet sees it: register it with `new Fleet({ blueprints: [SCHEDULED_JOB] })`. */
export const SCHEDULED_JOB: Blueprint<ScheduledJobOptions> = {
  id: ScheduledJob.BLUEPRINT_ID,
  description: 'A job on a jittered schedule in every tenant account: one to three functions run in order by a workflow, DynamoDB',
  validate: validateScheduledJobOptions,
  create: (options, outdir) => new ScheduledJob(fleetValidated({ ...options, outdir })),
};

declare module '@fleet/blueprints' {
  /** Registers the options of `scheduled-job` for the manifest's types (`ServiceDeclaration`). */
  interface BlueprintOptionsMap {
    'scheduled-job': ScheduledJobOptions;
  }
}

/** A manifest entry of the `scheduled-job` blueprint. */
export type ScheduledJobDeclaration = ServiceDeclarationOf<'scheduled-job'>;
