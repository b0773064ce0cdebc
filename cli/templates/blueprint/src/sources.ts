import { commentText, markdownText, Ownership, pascalCase, renderOwnershipSection, renderStackProjectCommands, tsString } from '@fleet/blueprints';
import { everyHoursOf, __CLASS__Options } from './options';

/** `my-service` -> `MyServiceStack`: the class `src/stack.ts` exports. */
export function stackClassOf(name: string): string {
  return `${pascalCase(name)}Stack`;
}

function descriptionOf(options: __CLASS__Options): string {
  return options.description ?? 'A scheduled job.';
}

/**
 * `src/stack.ts` (managed): a `ServiceStack` (the fleet's guardrails, tags and failure bus come
 * with it), one table, one function run by a workflow, started by a jittered schedule. Every
 * option value goes through an encoder (`tsString`, `commentText`): a manifest value never
 * becomes code.
 */
export function renderStack(options: __CLASS__Options, blueprintVersion: string): string {
  const cls = stackClassOf(options.name);
  return [
    "import * as path from 'path';",
    "import { Duration } from 'aws-cdk-lib';",
    "import * as sfn from 'aws-cdk-lib/aws-stepfunctions';",
    "import { Construct } from 'constructs';",
    "import { HandlerBundle, JitteredSchedule, ServiceStack, ServiceStackProps, ServiceTable, ServiceWorkflow, TenantFunction } from '@fleet/workflows';",
    '',
    `export type ${cls}Props = Omit<ServiceStackProps, 'serviceName' | 'blueprintVersion'>;`,
    '',
    `/** ${commentText(descriptionOf(options))} */`,
    `export class ${cls} extends ServiceStack {`,
    '  public readonly table: ServiceTable;',
    '  public readonly workflow: ServiceWorkflow;',
    '',
    `  constructor(scope: Construct, id: string, props: ${cls}Props = {}) {`,
    `    super(scope, id, { ...props, serviceName: ${tsString(options.name)}, blueprintVersion: ${tsString(blueprintVersion)} });`,
    "    this.table = new ServiceTable(this, 'Table');",
    "    const bundle = new HandlerBundle(this, 'Handlers', { entries: { run: path.join(__dirname, 'functions', 'run.ts') } });",
    "    const run = new TenantFunction(this, 'Run', {",
    "      bundle, handlerName: 'run', description: 'Runs the job once.', failureBus: this.failureBus,",
    '      environment: { TABLE_NAME: this.table.tableName },',
    '    });',
    '    this.table.grantWriteData(run);',
    "    this.workflow = new ServiceWorkflow(this, 'Workflow', {",
    '      functions: { run }, table: this.table, failureBus: this.failureBus,',
    "      define: (ctx) => sfn.Chain.start(ctx.invoke('run', { stateName: 'Run the job' })).next(new sfn.Succeed(ctx.scope, 'Job done')),",
    '    });',
    "    new JitteredSchedule(this, 'Schedule', {",
    `      target: this.workflow, every: Duration.hours(${everyHoursOf(options)}), description: ${tsString(`Starts the ${options.name} workflow`)},`,
    '    });',
    '  }',
    '}',
  ].join('\n');
}

/** `test/stack.test.ts` (managed): what every service of this blueprint guarantees. */
export function renderStackTest(options: __CLASS__Options): string {
  return [
    "import { Template } from 'aws-cdk-lib/assertions';",
    "import { serviceApp } from '@fleet/workflows';",
    "import { buildStack } from '../src/main';",
    '',
    '// serviceApp() runs the CloudFormation validator and the cdk-nag packs: a guardrail finding fails here.',
    'const template = Template.fromStack(buildStack(serviceApp()));',
    '',
    `describe(${tsString(`${options.name} stack`)}, () => {`,
    `  test(${tsString(`one jittered schedule, every ${everyHoursOf(options)} hours, starting the workflow`)}, () => {`,
    "    template.resourceCountIs('AWS::Scheduler::Schedule', 1);",
    "    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);",
    `    const [schedule] = Object.values<any>(template.findResources('AWS::Scheduler::Schedule'));`,
    "    expect(schedule.Properties.FlexibleTimeWindow.Mode).toBe('FLEXIBLE');",
    `    expect(JSON.stringify(schedule.Properties.ScheduleExpression)).toContain(${tsString(everyHoursOf(options) === 24 ? ' 0 * * ? *)' : ` 0/${everyHoursOf(options)} * * ? *)`)});`,
    '  });',
    '',
    "  test('nothing that polls or costs while idle: no queue', () => {",
    "    template.resourceCountIs('AWS::SQS::Queue', 0);",
    '  });',
    '});',
  ].join('\n');
}

/** `src/functions/run.ts` (owned): the team's handler, written once. */
export function renderHandlerSample(options: __CLASS__Options): string {
  return [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';",
    '',
    "/** What the schedule sends (EventBridge Scheduler fills in the context keywords). */",
    'export interface JobRun {',
    '  readonly scheduledTime: string;',
    '  readonly executionId: string;',
    '}',
    '',
    'const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
    '',
    `/** One run of ${commentText(options.name)}. This file is yours: regeneration never overwrites it. */`,
    'export async function handler(run: JobRun): Promise<{ done: string }> {',
    "  await documentClient.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { pk: `RUN#${run.scheduledTime}`, sk: 'RUN', executionId: run.executionId } }));",
    '  return { done: run.scheduledTime };',
    '}',
  ].join('\n');
}

/** `test/functions/run.test.ts` (owned): the team's handler test, written once. */
export function renderHandlerTestSample(): string {
  return [
    "import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';",
    "import { mockClient } from 'aws-sdk-client-mock';",
    "import { handler } from '../../src/functions/run';",
    '',
    'const dynamo = mockClient(DynamoDBDocumentClient);',
    '',
    "test('GIVEN a scheduled run WHEN it runs THEN it records the run once, under its scheduled time', async () => {",
    "  process.env.TABLE_NAME = 'job-table';",
    '  dynamo.on(PutCommand).resolves({});',
    "  await expect(handler({ scheduledTime: '2026-03-02T03:07:00Z', executionId: 'run-1' })).resolves.toEqual({ done: '2026-03-02T03:07:00Z' });",
    "  expect(dynamo.commandCalls(PutCommand)[0].args[0].input.Item).toEqual({ pk: 'RUN#2026-03-02T03:07:00Z', sk: 'RUN', executionId: 'run-1' });",
    '});',
  ].join('\n');
}

/** `README.md` (managed). */
export function renderReadme(options: __CLASS__Options, blueprintVersion: string, ownership: Ownership): string {
  return [
    `# ${markdownText(options.name)}`,
    '',
    markdownText(descriptionOf(options)),
    '',
    `Generated by the \`__NAME__\` blueprint (version ${blueprintVersion}). Every ${everyHoursOf(options)} hours, at the tenant`,
    "account's own minute and then within a flexible window, EventBridge Scheduler starts the workflow.",
    '',
    ...renderStackProjectCommands(),
    ...renderOwnershipSection(ownership),
  ].join('\n');
}
