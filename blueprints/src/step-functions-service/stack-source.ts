import { camelCase, pascalCase } from '../private/checks';
import { StepFunctionsServiceOptions, TableAccess } from './options';

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
 * `src/stack.ts`: the service's CloudFormation stack, generated from the manifest. Everything
 * that must be identical across services (runtime, async config, failure destination, grants,
 * tags, routes) is here; the team's workflow logic lives in the owned `src/workflow.ts`.
 */
export function renderStackSource(options: StepFunctionsServiceOptions, blueprintVersion: string): string {
  const service = options.name;
  const stackClass = stackClassName(service);
  const names = Object.keys(options.functions);
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);

  push(
    "import * as path from 'path';",
    "import { Duration } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    'import {',
    '  EventRoute,',
    '  HandlerBundle,',
    '  ServiceStack,',
    '  ServiceStackProps,',
    '  ServiceTable,',
    '  ServiceWorkflow,',
    '  TenantFunction,',
    "} from '@fleet/workflows';",
    "import { defineWorkflow } from './workflow';",
    '',
    `/** The functions of ${service}, by name. */`,
    `export type ${functionNameType(service)} = ${names.map((n) => `'${n}'`).join(' | ')};`,
    '',
    `export type ${stackClass}Props = Omit<ServiceStackProps, 'serviceName' | 'blueprintVersion'>;`,
    '',
    '/**',
    ` * ${options.description ?? `The ${service} service.`}`,
    ' *',
    ' * One env-agnostic stack, deployed unchanged into every tenant account by a StackSet.',
    ' */',
    `export class ${stackClass} extends ServiceStack {`,
    '  public readonly table: ServiceTable;',
    `  public readonly functions: Record<${functionNameType(service)}, TenantFunction>;`,
    '  public readonly workflow: ServiceWorkflow;',
    '',
    `  constructor(scope: Construct, id: string, props: ${stackClass}Props = {}) {`,
    `    super(scope, id, { ...props, serviceName: '${service}', blueprintVersion: '${blueprintVersion}' });`,
    '',
    "    this.table = new ServiceTable(this, 'Table');",
    '',
    '    // One esbuild run bundles every handler of the service.',
    "    const bundle = new HandlerBundle(this, 'Handlers', {",
    '      entries: {',
    ...names.map((n) => `        '${n}': path.join(__dirname, 'functions', '${n}.ts'),`),
    '      },',
    '    });',
    '',
  );
  for (const name of names) {
    const fn = options.functions[name];
    const variable = camelCase(name);
    push(
      `    const ${variable} = new TenantFunction(this, '${pascalCase(name)}', {`,
      '      bundle,',
      `      handlerName: '${name}',`,
      ...(fn.description ? [`      description: ${JSON.stringify(fn.description)},`] : []),
      `      timeout: Duration.seconds(${fn.timeoutSeconds ?? 10}),`,
      `      memorySize: ${fn.memoryMb ?? 256},`,
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
    ...names.map((n) => `      '${n}': ${camelCase(n)},`),
    '    };',
    '',
    "    this.workflow = new ServiceWorkflow(this, 'Workflow', {",
    '      functions: this.functions,',
    '      table: this.table,',
    '      failureBus: this.failureBus,',
    '      define: defineWorkflow,',
    '    });',
  );
  (options.events ?? []).forEach((route) => {
    const target = route.target ?? 'workflow';
    push(
      '',
      `    new EventRoute(this, '${pascalCase(routeSlug(route.detailType))}Route', {`,
      `      eventPattern: { source: [${JSON.stringify(route.source)}], detailType: [${JSON.stringify(route.detailType)}] },`,
      `      target: ${target === 'workflow' ? 'this.workflow' : `this.functions['${target}']`},`,
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
