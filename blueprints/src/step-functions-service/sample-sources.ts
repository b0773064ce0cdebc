/**
 * Starting points for the files a team owns. They are written once, when missing, and never
 * touched again; they must compile, pass their tests and show the intended patterns.
 */
import { WORKFLOW_FAILED_DETAIL_TYPE } from '@fleet/contracts';
import { pascalCase } from '../private/checks';
import { commentText, tsJson, tsString } from '../private/encode';
import { FunctionDeclaration, StepFunctionsServiceOptions, EventRouteDeclaration } from './options';

export function renderHandlerSample(name: string, fn: FunctionDeclaration): string {
  const access = fn.tableAccess ?? 'none';
  const description = fn.description ?? `The ${name} step.`;
  const header = [`import type { Context } from 'aws-lambda';`];
  let body: string[];
  switch (access) {
    case 'read':
      header.push(`import { GetCommand } from '@aws-sdk/lib-dynamodb';`, `import { logger } from '../runtime/logger';`, `import { documentClient, tableName } from '../runtime/table';`);
      body = [
        `export async function handler(event: ${pascalCase(name)}Event, context: Context): Promise<${pascalCase(name)}Event & { found: boolean }> {`,
        '  logger.addContext(context);',
        `  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: { pk: event.id, sk: 'item' } }));`,
        `  logger.info(${tsString(`${name}: looked up item`)}, { id: event.id, found: Item !== undefined });`,
        '  return { ...event, found: Item !== undefined };',
        '}',
      ];
      break;
    case 'write':
    case 'read-write':
      header.push(`import { PutCommand } from '@aws-sdk/lib-dynamodb';`, `import { logger } from '../runtime/logger';`, `import { documentClient, tableName } from '../runtime/table';`);
      body = [
        `export async function handler(event: ${pascalCase(name)}Event, context: Context): Promise<${pascalCase(name)}Event & { storedAt: string }> {`,
        '  logger.addContext(context);',
        '  const storedAt = new Date().toISOString();',
        `  await documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk: event.id, sk: 'item', storedAt } }));`,
        `  logger.info(${tsString(`${name}: stored item`)}, { id: event.id });`,
        '  return { ...event, storedAt };',
        '}',
      ];
      break;
    default:
      header.push(`import { logger } from '../runtime/logger';`);
      body = [
        `export async function handler(event: ${pascalCase(name)}Event, context: Context): Promise<${pascalCase(name)}Event & { checked: true }> {`,
        '  logger.addContext(context);',
        '  if (typeof event.id !== \'string\' || event.id === \'\') {',
        `    throw new Error(${tsString(`${name}: event.id must be a non-empty string`)});`,
        '  }',
        `  logger.info(${tsString(`${name}: checked event`)}, { id: event.id });`,
        '  return { ...event, checked: true };',
        '}',
      ];
  }
  return [
    ...header,
    '',
    `/** What ${commentText(name)} receives from the workflow. */`,
    `export interface ${pascalCase(name)}Event {`,
    '  readonly id: string;',
    '  readonly [key: string]: unknown;',
    '}',
    '',
    `/** ${commentText(description)} */`,
    ...body,
  ].join('\n');
}

export function renderHandlerTestSample(name: string, fn: FunctionDeclaration): string {
  const access = fn.tableAccess ?? 'none';
  const context = `const context = { functionName: ${tsString(name)}, awsRequestId: 'test-request' } as Context;`;
  if (access === 'none') {
    return [
      `import type { Context } from 'aws-lambda';`,
      `import { handler } from ${tsString(`../../src/functions/${name}`)};`,
      '',
      context,
      '',
      `describe(${tsString(name)}, () => {`,
      `  test('passes a valid event through, marked as checked', async () => {`,
      `    await expect(handler({ id: 'scan-1' }, context)).resolves.toEqual({ id: 'scan-1', checked: true });`,
      '  });',
      '',
      `  test('rejects an event without an id', async () => {`,
      `    await expect(handler({ id: '' }, context)).rejects.toThrow(${tsString(`${name}: event.id must be a non-empty string`)});`,
      '  });',
      '});',
    ].join('\n');
  }
  const isRead = access === 'read';
  const command = isRead ? 'GetCommand' : 'PutCommand';
  return [
    `import { DynamoDBDocumentClient, ${command} } from '@aws-sdk/lib-dynamodb';`,
    `import type { Context } from 'aws-lambda';`,
    `import { mockClient } from 'aws-sdk-client-mock';`,
    `import { handler } from ${tsString(`../../src/functions/${name}`)};`,
    '',
    'const dynamo = mockClient(DynamoDBDocumentClient);',
    context,
    '',
    `describe(${tsString(name)}, () => {`,
    `  beforeEach(() => {`,
    `    dynamo.reset();`,
    `    process.env.TABLE_NAME = 'test-table';`,
    '  });',
    '',
    ...(isRead
      ? [
        `  test('reports whether the item exists', async () => {`,
        `    dynamo.on(GetCommand, { TableName: 'test-table', Key: { pk: 'scan-1', sk: 'item' } }).resolves({ Item: { pk: 'scan-1' } });`,
        `    await expect(handler({ id: 'scan-1' }, context)).resolves.toEqual({ id: 'scan-1', found: true });`,
        '  });',
        '',
        `  test('reports a missing item as not found', async () => {`,
        `    dynamo.on(GetCommand).resolves({});`,
        `    await expect(handler({ id: 'scan-2' }, context)).resolves.toEqual({ id: 'scan-2', found: false });`,
        '  });',
      ]
      : [
        `  test('stores the item under its id', async () => {`,
        `    dynamo.on(PutCommand).resolves({});`,
        `    const result = await handler({ id: 'scan-1' }, context);`,
        `    expect(result.id).toBe('scan-1');`,
        `    expect(dynamo.commandCalls(PutCommand)[0].args[0].input).toMatchObject({ TableName: 'test-table', Item: { pk: 'scan-1', sk: 'item' } });`,
        '  });',
      ]),
    '});',
  ].join('\n');
}

export function renderWorkflowSample(options: StepFunctionsServiceOptions): string {
  const names = Object.keys(options.functions);
  return [
    "import * as sfn from 'aws-cdk-lib/aws-stepfunctions';",
    "import { WorkflowContext } from '@fleet/workflows';",
    '',
    '/**',
    ` * The ${commentText(options.name)} workflow. This file is yours: regeneration never overwrites it.`,
    ' *',
    ' * `ctx.invoke(name)` gives a Lambda task that retries Lambda service errors and catches',
    ' * every other error into the shared failure path (which reports to the central failure bus).',
    ' */',
    'export function defineWorkflow(ctx: WorkflowContext): sfn.IChainable {',
    '  // A rule that targets the state machine passes the whole EventBridge event; the steps work on its detail.',
    `  return sfn.Chain.start(ctx.invoke(${tsString(names[0])}, { payload: sfn.TaskInput.fromJsonPathAt('$.detail') }))`,
    ...names.slice(1).map((n) => `    .next(ctx.invoke(${tsString(n)}))`),
    "    .next(new sfn.Succeed(ctx.scope, 'Done'));",
    '}',
  ].join('\n');
}

export function renderSampleEvent(options: StepFunctionsServiceOptions, route: EventRouteDeclaration): string {
  return JSON.stringify(
    {
      'version': '0',
      'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      'detail-type': route.detailType,
      'source': route.source,
      'account': '111122223333',
      'time': '2026-01-01T00:00:00Z',
      'region': 'eu-west-1',
      'resources': [],
      'detail': { id: `${options.name}-sample-1` },
    },
    null,
    2,
  );
}


/**
 * `test/workflow.test.ts` (owned): runs the real workflow with the real handlers and an embedded
 * DynamoDB through `runWorkflow`, and forces the failure path by overriding one task.
 */
export function renderWorkflowTestSample(options: StepFunctionsServiceOptions): string {
  const names = Object.keys(options.functions);
  const input = {
    'version': '0',
    'id': 'local-run-1',
    'detail-type': options.events?.[0]?.detailType ?? 'Sample Event',
    'source': options.events?.[0]?.source ?? 'sample.source',
    'account': '111122223333',
    'time': '2026-01-01T00:00:00Z',
    'region': 'eu-west-1',
    'resources': [],
    'detail': { id: `${options.name}-sample-1` },
  };
  return [
    "import { runWorkflow, serviceApp } from '@fleet/workflows';",
    "import { buildStack } from '../src/main';",
    '',
    '/**',
    ' * The real workflow with the real handlers, run locally: Step Functions semantics from',
    ' * @fleet/workflows, DynamoDB from an embedded server. No AWS account needed. The stack is',
    ' * built as `fleet run` builds it (no CloudFormation validator, no cdk-nag packs, no bundling:',
    ' * the handlers run from source); its one checked synthesis is test/stack.test.ts\'s.',
    ' */',
    'const stack = buildStack(serviceApp({ validation: false, bundling: false }));',
    `const event = ${tsJson(input, 2)};`,
    '// The first run compiles the handlers and starts the embedded DynamoDB.',
    'jest.setTimeout(60_000);',
    '',
    `describe(${tsString(`${options.name} workflow, run locally`)}, () => {`,
    "  test('runs every step in order and succeeds', async () => {",
    '    const run = await runWorkflow(stack, event);',
    '',
    "    expect(run.status).toBe('SUCCEEDED');",
    `    expect(run.path).toEqual(${tsJson([...names, 'Done'])});`,
    '  });',
    '',
    "  test('reports a failing step to the failure bus and fails', async () => {",
    `    const run = await runWorkflow(stack, event, { overrides: { ${tsString(names[0])}: { throw: { error: 'Lambda.Unknown', cause: 'simulated outage' } } } });`,
    '',
    "    expect(run.status).toBe('FAILED');",
    "    expect(run.error).toBe('Lambda.Unknown');",
    `    expect(run.events).toEqual([expect.objectContaining({ Source: ${tsString(`fleet.${options.name}`)}, DetailType: ${tsString(WORKFLOW_FAILED_DETAIL_TYPE)} })]);`,
    '  });',
    '});',
  ].join('\n');
}
