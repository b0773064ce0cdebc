import { FUNCTION_DEFAULTS } from '@fleet/contracts';
import { camelCase, pascalCase } from '../private/checks';
import { commentText, tsString } from '../private/encode';
import type { StepFunctionsServiceOptions, TableAccess } from './options';

const GRANT_METHOD: Record<Exclude<TableAccess, 'none'>, string> = {
  'read': 'grantReadData',
  'write': 'grantWriteData',
  'read-write': 'grantReadWriteData',
};

/** Name of the generated stack class, e.g. `ScanIngestStack`. */
export function stackClassName(serviceName: string): string {
  return `${pascalCase(serviceName)}Stack`;
}

/** Name of the generated union type of function names, e.g. `ScanIngestFunctionName`. */
export function functionNameType(serviceName: string): string {
  return `${pascalCase(serviceName)}FunctionName`;
}

/**
 * Identifiers the generated stack imports or declares in the scope of the constructor, where
 * each function also gets a variable (`camelCase(name)`): a function whose variable would be one
 * of these redeclares or shadows it, and the stack no longer compiles. Kept next to the
 * renderer that writes them; a test reads the rendered source and checks this list is complete.
 */
export const STACK_SOURCE_IDENTIFIERS: readonly string[] = [
  'path', 'Duration', 'Construct', 'EventRoute', 'HandlerBundle', 'ServiceStack', 'ServiceStackProps', 'ServiceTable',
  'ServiceWorkflow', 'TenantFunction', 'defineWorkflow', 'scope', 'id', 'props', 'bundle',
];

/**
 * Construct ids at the top level of every service stack that no manifest name gives: the
 * stack's table, bundle and workflow (here), and what `ServiceStack` creates (its parameters,
 * conditions, outputs and the failure bus reference). A test synthesizes a real stack and
 * checks this list.
 */
export const STACK_CONSTRUCT_IDS: readonly string[] = [
  'Table', 'Handlers', 'Workflow',
  'FailureBusArn', 'FailureDeadLetterQueueArn', 'HasFailureDeadLetterQueue', 'FailureBusIsAccountDefault', 'FailureBus',
  'FailureDeadLetterQueueInUse', 'FailureBusArnInUse',
];

/** The variable the generated stack holds a function in, e.g. `validateScan`. */
export function functionVariable(name: string): string {
  return camelCase(name);
}

/** Construct ids a function creates at the stack's top level: the function and its log group (a sibling, see `TenantFunction`). */
export function functionConstructIds(name: string): string[] {
  return [pascalCase(name), `${pascalCase(name)}LogGroup`];
}

/** Construct id of an event route, e.g. `ScanUploadedRoute`. */
export function routeConstructId(detailType: string): string {
  return `${pascalCase(routeSlug(detailType))}Route`;
}

/** The owned sample event of a route, e.g. `events/scan-uploaded.json`. */
export function routeSampleFile(detailType: string): string {
  return `events/${routeSlug(detailType)}.json`;
}

/**
 * `src/stack.ts`: the service's CloudFormation stack, generated from the manifest. Everything
 * that must be identical across services (runtime, async config, failure destination, grants,
 * tags, routes) is here; the team's workflow logic lives in the owned `src/workflow.ts`.
 */
export function renderStackSource(options: StepFunctionsServiceOptions, blueprintVersion: string): string {
  const service = options.name;
  const stackClass = stackClassName(service);
  const names = Object.keys(options.functions);
  const routes = options.events ?? [];
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);

  push(
    "import * as path from 'path';",
    "import { Duration } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    'import {',
    // Imported only when used: the service tsconfig has noUnusedLocals.
    ...(routes.length > 0 ? ['  EventRoute,'] : []),
    '  HandlerBundle,',
    '  ServiceStack,',
    '  ServiceStackProps,',
    '  ServiceTable,',
    '  ServiceWorkflow,',
    '  TenantFunction,',
    "} from '@fleet/workflows';",
    "import { defineWorkflow } from './workflow';",
    '',
    `/** The functions of ${commentText(service)}, by name. */`,
    `export type ${functionNameType(service)} = ${names.map((n) => tsString(n)).join(' | ')};`,
    '',
    `export type ${stackClass}Props = Omit<ServiceStackProps, 'serviceName' | 'blueprintVersion'>;`,
    '',
    '/**',
    ` * ${commentText(options.description ?? `The ${service} service.`)}`,
    ' *',
    ' * One env-agnostic stack, deployed unchanged into every tenant account by a StackSet.',
    ' */',
    `export class ${stackClass} extends ServiceStack {`,
    '  public readonly table: ServiceTable;',
    `  public readonly functions: Record<${functionNameType(service)}, TenantFunction>;`,
    '  public readonly workflow: ServiceWorkflow;',
    '',
    `  constructor(scope: Construct, id: string, props: ${stackClass}Props = {}) {`,
    `    super(scope, id, { ...props, serviceName: ${tsString(service)}, blueprintVersion: ${tsString(blueprintVersion)} });`,
    '',
    "    this.table = new ServiceTable(this, 'Table');",
    '',
    '    // One esbuild run bundles every handler of the service.',
    "    const bundle = new HandlerBundle(this, 'Handlers', {",
    '      entries: {',
    ...names.map((n) => `        ${tsString(n)}: path.join(__dirname, 'functions', ${tsString(`${n}.ts`)}),`),
    '      },',
    '    });',
    '',
  );
  for (const name of names) {
    const fn = options.functions[name];
    const variable = functionVariable(name);
    push(
      `    const ${variable} = new TenantFunction(this, ${tsString(functionConstructIds(name)[0])}, {`,
      '      bundle,',
      `      handlerName: ${tsString(name)},`,
      ...(fn.description ? [`      description: ${tsString(fn.description)},`] : []),
      `      timeout: Duration.seconds(${fn.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds}),`,
      `      memorySize: ${fn.memoryMb ?? FUNCTION_DEFAULTS.memoryMb},`,
      '      failureBus: this.failureBus,',
      ...((fn.tableAccess ?? 'none') === 'none' ? [] : ['      environment: { TABLE_NAME: this.table.tableName },']),
      '    });',
    );
    const access = fn.tableAccess ?? 'none';
    if (access !== 'none') push(`    this.table.${GRANT_METHOD[access]}(${variable});`);
    push('');
  }
  push(
    '    this.functions = {',
    ...names.map((n) => `      ${tsString(n)}: ${functionVariable(n)},`),
    '    };',
    '',
    "    this.workflow = new ServiceWorkflow(this, 'Workflow', {",
    '      functions: this.functions,',
    '      table: this.table,',
    '      failureBus: this.failureBus,',
    '      define: defineWorkflow,',
    '    });',
  );
  routes.forEach((route) => {
    const target = route.target ?? 'workflow';
    push(
      '',
      `    new EventRoute(this, ${tsString(routeConstructId(route.detailType))}, {`,
      `      eventPattern: { source: [${tsString(route.source)}], detailType: [${tsString(route.detailType)}] },`,
      `      target: ${target === 'workflow' ? 'this.workflow' : `this.functions[${tsString(target)}]`},`,
      '    });',
    );
  });
  push('  }', '}');
  return lines.join('\n');
}

/** `Scan Uploaded` -> `scan-uploaded`: file and construct names for an event route. */
export function routeSlug(detailType: string): string {
  return detailType
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'event';
}
