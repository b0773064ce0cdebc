import { commentText, FUNCTION_DEFAULTS, markdownCode, markdownText, Ownership, pascalCase, renderOwnershipSection, renderStackProjectCommands, tsString } from '@fleet/blueprints';
import { ScheduledJobFunction, ScheduledJobOptions } from './options';

/** `nightly-export` -> `NightlyExportStack`. */
export function stackClassOf(name: string): string {
  return `${pascalCase(name)}Stack`;
}

/** `export-items` -> `Export items`: the state name of a step in the workflow. */
export function stateNameOf(functionName: string): string {
  const words = functionName.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The options with every default applied: what the generated files are rendered from. */
export interface ResolvedJob {
  readonly name: string;
  readonly description: string;
  readonly everyHours: number;
  readonly flexibleWindowMinutes: number;
  readonly functions: ReadonlyArray<{ readonly name: string } & Required<ScheduledJobFunction>>;
}

export function resolveJob(options: ScheduledJobOptions): ResolvedJob {
  return {
    name: options.name,
    description: options.description ?? 'A scheduled job.',
    everyHours: options.everyHours ?? 24,
    flexibleWindowMinutes: options.flexibleWindowMinutes ?? 15,
    functions: Object.entries(options.functions).map(([name, fn], index) => ({
      name,
      description: fn.description ?? `Step ${index + 1} of ${options.name}.`,
      tableAccess: fn.tableAccess ?? 'none',
      timeoutSeconds: fn.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds,
      memoryMb: fn.memoryMb ?? FUNCTION_DEFAULTS.memoryMb,
    })),
  };
}

const GRANTS = { 'read': 'grantReadData', 'write': 'grantWriteData', 'read-write': 'grantReadWriteData' } as const;

/** `src/stack.ts` (managed): the job's stack, wired from the options. */
export function renderStack(job: ResolvedJob, blueprintVersion: string): string {
  const cls = stackClassOf(job.name);
  const fnType = job.functions.map((fn) => tsString(fn.name)).join(' | ');
  const lines = [
    "import * as path from 'path';",
    "import { Duration } from 'aws-cdk-lib';",
    "import * as sfn from 'aws-cdk-lib/aws-stepfunctions';",
    "import { Construct } from 'constructs';",
    "import { HandlerBundle, JitteredSchedule, ServiceStack, ServiceStackProps, ServiceTable, ServiceWorkflow, TenantFunction } from '@fleet/workflows';",
    '',
    `export type ${cls}Props = Omit<ServiceStackProps, 'serviceName' | 'blueprintVersion'>;`,
    '',
    '/**',
    ` * ${commentText(job.description)}`,
    ' *',
    ` * Every ${job.everyHours === 1 ? 'hour' : `${job.everyHours} hours`}, at the tenant account's own minute (the ScheduleOffsetMinute parameter) and`,
    ` * then within ${job.flexibleWindowMinutes} minutes, EventBridge Scheduler starts the workflow, which runs the steps in`,
    ' * order. One env-agnostic stack, deployed unchanged into every tenant account by a StackSet.',
    ' */',
    `export class ${cls} extends ServiceStack {`,
    '  public readonly table: ServiceTable;',
    `  public readonly functions: Record<${fnType}, TenantFunction>;`,
    '  public readonly workflow: ServiceWorkflow;',
    '  public readonly schedule: JitteredSchedule;',
    '',
    `  constructor(scope: Construct, id: string, props: ${cls}Props = {}) {`,
    `    super(scope, id, { ...props, serviceName: ${tsString(job.name)}, blueprintVersion: ${tsString(blueprintVersion)} });`,
    '',
    "    this.table = new ServiceTable(this, 'Table');",
    "    const bundle = new HandlerBundle(this, 'Handlers', {",
    '      entries: {',
    ...job.functions.map((fn) => `        ${tsString(fn.name)}: path.join(__dirname, 'functions', ${tsString(`${fn.name}.ts`)}),`),
    '      },',
    '    });',
    '',
  ];
  for (const fn of job.functions) {
    const variable = pascalCase(fn.name).charAt(0).toLowerCase() + pascalCase(fn.name).slice(1);
    lines.push(
      `    const ${variable} = new TenantFunction(this, ${tsString(pascalCase(fn.name))}, {`,
      '      bundle,',
      `      handlerName: ${tsString(fn.name)},`,
      `      description: ${tsString(fn.description)},`,
      `      timeout: Duration.seconds(${fn.timeoutSeconds}),`,
      `      memorySize: ${fn.memoryMb},`,
      '      failureBus: this.failureBus,',
      ...(fn.tableAccess === 'none' ? [] : ['      environment: { TABLE_NAME: this.table.tableName },']),
      '    });',
      ...(fn.tableAccess === 'none' ? [] : [`    this.table.${GRANTS[fn.tableAccess]}(${variable});`]),
      '',
    );
  }
  lines.push(
    `    this.functions = { ${job.functions.map((fn) => `${tsString(fn.name)}: ${pascalCase(fn.name).charAt(0).toLowerCase() + pascalCase(fn.name).slice(1)}`).join(', ')} };`,
    '',
    '    // The steps in order; an error in any of them goes to the shared failure path (ctx.invoke catches it).',
    "    this.workflow = new ServiceWorkflow(this, 'Workflow', {",
    '      functions: this.functions,',
    '      table: this.table,',
    '      failureBus: this.failureBus,',
    '      define: (ctx) => sfn.Chain',
    `        .start(ctx.invoke(${tsString(job.functions[0].name)}, { stateName: ${tsString(stateNameOf(job.functions[0].name))} }))`,
    ...job.functions.slice(1).map((fn) => `        .next(ctx.invoke(${tsString(fn.name)}, { stateName: ${tsString(stateNameOf(fn.name))} }))`),
    "        .next(new sfn.Succeed(ctx.scope, 'Job done')),",
    '    });',
    '',
    "    this.schedule = new JitteredSchedule(this, 'Schedule', {",
    '      target: this.workflow,',
    `      every: Duration.hours(${job.everyHours}),`,
    `      flexibleWindow: Duration.minutes(${job.flexibleWindowMinutes}),`,
    `      description: ${tsString(`Starts the ${job.name} workflow`)},`,
    '    });',
    '  }',
    '}',
  );
  return lines.join('\n');
}

/** `test/stack.test.ts` (managed): what every scheduled job guarantees, on the synthesized template. */
export function renderStackTest(job: ResolvedJob): string {
  const order = [...job.functions.map((fn) => stateNameOf(fn.name)), 'Job done'];
  return [
    "import { Match, Template } from 'aws-cdk-lib/assertions';",
    "import { serviceApp } from '@fleet/workflows';",
    "import { buildStack } from '../src/main';",
    '',
    '// The one checked synthesis of this stack in the test run: the CloudFormation validator',
    '// (errors fail) and the cdk-nag packs (fleet guardrails, AwsSolutions) run here.',
    'const stack = buildStack(serviceApp());',
    'const template = Template.fromStack(stack);',
    '',
    `describe(${tsString(`${job.name} stack`)}, () => {`,
    `  test(${tsString(`one schedule, every ${job.everyHours} h at the account's offset minute, within ${job.flexibleWindowMinutes} minutes, starting the workflow`)}, () => {`,
    "    template.resourceCountIs('AWS::Scheduler::Schedule', 1);",
    "    template.hasResourceProperties('AWS::Scheduler::Schedule', {",
    `      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: ${job.flexibleWindowMinutes} },`,
    "      Target: Match.objectLike({ Arn: { Ref: stack.getLogicalId(stack.workflow.stateMachine.node.defaultChild as any) } }),",
    '    });',
    "    template.hasParameter('ScheduleOffsetMinute', Match.anyValue());",
    "    expect(Object.keys(template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: Match.anyValue() } }))).toEqual([]);",
    '  });',
    '',
    `  test(${tsString(`the workflow runs ${order.join(' -> ')}`)}, () => {`,
    "    const [machine] = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'));",
    '    const text = machine.Properties.DefinitionString;',
    "    const definition = JSON.parse(typeof text === 'string' ? text : text['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'ref')).join(''));",
    '    const order: string[] = [];',
    '    for (let state = definition.StartAt; state; state = definition.States[state].Next) order.push(state);',
    `    expect(order).toEqual(${JSON.stringify(order).replace(/"/g, "'")});`,
    '  });',
    '',
    "  test('each step is a function of its own, as declared', () => {",
    ...job.functions.map((fn) =>
      `    template.hasResourceProperties('AWS::Lambda::Function', { Description: ${tsString(fn.description)}, Timeout: ${fn.timeoutSeconds}, MemorySize: ${fn.memoryMb}, Architectures: ['arm64'] });`),
    '  });',
    '',
    "  test('nothing that polls or costs while idle: no queue, no event source mapping', () => {",
    "    template.resourceCountIs('AWS::SQS::Queue', 0);",
    "    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);",
    '  });',
    '});',
  ].join('\n');
}

/** `src/functions/<name>.ts` (owned): the sample handler of one step. */
export function renderHandlerSample(job: ResolvedJob, fn: ResolvedJob['functions'][number]): string {
  const writes = fn.tableAccess === 'write' || fn.tableAccess === 'read-write';
  return [
    ...(writes ? [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';",
      '',
    ] : []),
    '/** What each step receives: the schedule\'s input, and the steps of this run done so far. */',
    'export interface JobRun {',
    "  /** When the run was scheduled (Scheduler's `<aws.scheduler.scheduled-time>`). */",
    '  readonly scheduledTime: string;',
    '  /** The schedule\'s execution id: the same on every retry of one run. */',
    '  readonly executionId: string;',
    '  readonly stepsDone?: readonly string[];',
    '}',
    '',
    ...(writes ? ['const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));', ''] : []),
    '/**',
    ` * ${commentText(fn.description)}`,
    ' *',
    ` * A step of ${commentText(job.name)}. This file is yours: regeneration never overwrites it.`,
    ...(fn.tableAccess === 'read' ? [' * It may read the job\'s table (`process.env.TABLE_NAME`).'] : []),
    ' */',
    'export async function handler(run: JobRun): Promise<JobRun> {',
    ...(writes ? [
      '  // One item per run and step: a retried run writes the same item again.',
      '  await documentClient.send(new PutCommand({',
      '    TableName: process.env.TABLE_NAME,',
      `    Item: { pk: \`RUN#\${run.scheduledTime}\`, sk: ${tsString(`STEP#${fn.name}`)}, executionId: run.executionId },`,
      '  }));',
    ] : []),
    `  return { ...run, stepsDone: [...(run.stepsDone ?? []), ${tsString(fn.name)}] };`,
    '}',
  ].join('\n');
}

/** `test/functions/<name>.test.ts` (owned): the sample test of one step's handler. */
export function renderHandlerTestSample(fn: ResolvedJob['functions'][number]): string {
  const writes = fn.tableAccess === 'write' || fn.tableAccess === 'read-write';
  const run = "{ scheduledTime: '2026-03-02T03:07:00Z', executionId: 'run-1' }";
  return [
    ...(writes ? [
      "import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';",
      "import { mockClient } from 'aws-sdk-client-mock';",
    ] : []),
    `import { handler } from ${tsString(`../../src/functions/${fn.name}`)};`,
    '',
    ...(writes ? ['const dynamo = mockClient(DynamoDBDocumentClient);', ''] : []),
    `describe(${tsString(fn.name)}, () => {`,
    ...(writes ? [
      '  beforeEach(() => {',
      '    dynamo.reset();',
      "    process.env.TABLE_NAME = 'job-table';",
      '  });',
      '',
    ] : []),
    `  test(${tsString(`GIVEN a scheduled run WHEN ${fn.name} runs THEN it records itself as done`)}, async () => {`,
    ...(writes ? ['    dynamo.on(PutCommand).resolves({});'] : []),
    `    await expect(handler(${run})).resolves.toEqual({`,
    `      scheduledTime: '2026-03-02T03:07:00Z', executionId: 'run-1', stepsDone: [${tsString(fn.name)}],`,
    '    });',
    ...(writes ? [
      '    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([',
      `      { TableName: 'job-table', Item: { pk: 'RUN#2026-03-02T03:07:00Z', sk: ${tsString(`STEP#${fn.name}`)}, executionId: 'run-1' } },`,
      '    ]);',
    ] : []),
    '  });',
    '});',
  ].join('\n');
}

/** The README (managed). */
export function renderReadme(job: ResolvedJob, blueprintVersion: string, ownership: Ownership): string {
  return [
    `# ${markdownText(job.name)}`,
    '',
    markdownText(job.description),
    '',
    `Generated by the \`scheduled-job\` blueprint (version ${blueprintVersion}, \`@fleet-teams/scheduled-job-blueprint\`). One`,
    'CloudFormation stack, deployed by a StackSet into every tenant account, without CDK bootstrap.',
    '',
    '## When it runs',
    '',
    `Every ${job.everyHours === 1 ? 'hour' : `${job.everyHours} hours`} (UTC), at the tenant account's own minute of the hour (the \`ScheduleOffsetMinute\``,
    `stack parameter, set per account by the control plane), then at a random moment within ${job.flexibleWindowMinutes} minutes:`,
    'thousands of accounts never start at the same moment. EventBridge Scheduler starts the workflow,',
    'which runs the steps in order; an error in a step goes to the central failure bus.',
    '',
    '| step | function | table access | timeout | memory |',
    '|---|---|---|---|---|',
    ...job.functions.map((fn, i) =>
      `| ${i + 1} | ${markdownCode(fn.name, 'table')}: ${markdownText(fn.description).replace(/\|/g, '\\|')} | ${fn.tableAccess} | ${fn.timeoutSeconds} s | ${fn.memoryMb} MB |`),
    '',
    ...renderStackProjectCommands(),
    ...renderOwnershipSection(ownership),
  ].join('\n');
}
