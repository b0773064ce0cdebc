import { FLEET_RECOVERY_ROLE_NAME } from '@fleet/contracts';
import { Ownership, renderOwnershipSection } from '../components/ownership';
import { renderStackProjectCommands } from '../components/single-stack-project';
import { pascalCase } from '../private/checks';
import { commentText, markdownCode, markdownText, tsString } from '../private/encode';
import { TenantBaselineOptions } from './options';

/** `tenant-baseline` -> `TenantBaselineStack`. */
export function tenantBaselineStackClass(name: string): string {
  return `${pascalCase(name)}Stack`;
}

/** `src/stack.ts` (managed): the baseline stack, wired from the options. */
export function renderTenantBaselineStack(options: TenantBaselineOptions, blueprintVersion: string): string {
  const cls = tenantBaselineStackClass(options.name);
  const props = [
    `      serviceName: ${tsString(options.name)},`,
    `      blueprintVersion: ${tsString(blueprintVersion)},`,
    `      centralAccountId: ${tsString(options.centralAccountId)},`,
    ...(options.recoveryPrincipalArn ? [`      recoveryPrincipalArn: ${tsString(options.recoveryPrincipalArn)},`] : []),
    ...(options.recoveryRoleName ? [`      recoveryRoleName: ${tsString(options.recoveryRoleName)},`] : []),
    ...(options.concurrencyThreshold !== undefined ? [`      concurrencyThreshold: ${options.concurrencyThreshold},`] : []),
    ...(options.organizationId ? [`      organizationId: ${tsString(options.organizationId)},`] : []),
  ];
  return [
    "import { StackProps } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    "import * as fleet from '@fleet/workflows';",
    "import { extendTenantBaseline } from './operations';",
    '',
    '/**',
    ` * ${commentText(options.description ?? 'What every tenant account holds once: the recovery role and the account alarms.')}`,
    ' *',
    ' * Deployed by its own StackSet into every tenant account, before the services. The recovery',
    ' * role lets `fleet dlq redrive` (run in the central account) deliver failed events back into',
    ' * this account and nowhere else; the two account alarms watch every function of every service.',
    ' */',
    `export class ${cls} extends fleet.TenantBaselineStack {`,
    '  constructor(scope: Construct, id: string, props: StackProps = {}) {',
    '    super(scope, id, {',
    '      ...props,',
    ...props,
    '    });',
    '',
    '    // Your additions (more account-wide resources) live in the owned src/operations.ts:',
    '    // each is paid in every tenant account, and the guardrails check them at synth.',
    '    extendTenantBaseline(this);',
    '  }',
    '}',
  ].join('\n');
}

/** `test/stack.test.ts` (managed): what every tenant baseline guarantees, on the synthesized template. */
export function renderTenantBaselineStackTest(options: TenantBaselineOptions): string {
  const roleName = options.recoveryRoleName ?? FLEET_RECOVERY_ROLE_NAME;
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
    `describe(${tsString(`${options.name} stack`)}, () => {`,
    `  test(${tsString(`the recovery role ${roleName} is trusted by the central account ${options.centralAccountId} only`)}, () => {`,
    `    template.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: ${tsString(roleName)} }, 1);`,
    `    const role = Object.values<any>(template.findResources('AWS::IAM::Role')).find((r) => r.Properties.RoleName === ${tsString(roleName)});`,
    "    const trusted = JSON.stringify(role.Properties.AssumeRolePolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow').map((s: any) => s.Principal));",
    '    expect(trusted.match(/\\d{12}/g)).toEqual(' + `[${tsString(options.centralAccountId)}]` + ');',
    '  });',
    '',
    "  test('the recovery role acts in this account only', () => {",
    `    const [roleId] = Object.entries<any>(template.findResources('AWS::IAM::Role')).find(([, r]) => r.Properties.RoleName === ${tsString(roleName)})!;`,
    "    const resources = Object.values<any>(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }))",
    '      .flatMap((p) => p.Properties.PolicyDocument.Statement)',
    '      .map((s) => JSON.stringify(s.Resource));',
    '    expect(resources.length).toBeGreaterThan(0);',
    "    for (const resource of resources) expect(resource).toContain('{\"Ref\":\"AWS::AccountId\"}');",
    '  });',
    '',
    "  test('two alarms for the whole account, whatever the number of services', () => {",
    "    expect(Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName).sort())",
    "      .toEqual(['fleet-account-async-events-dropped', 'fleet-account-concurrent-executions']);",
    '  });',
    '',
    "  test('nothing else that costs while idle: no function, queue, key, schedule or poller', () => {",
    "    for (const type of ['AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::Scheduler::Schedule', 'AWS::Lambda::EventSourceMapping', 'AWS::CloudWatch::Dashboard']) {",
    '      template.resourceCountIs(type, 0);',
    '    }',
    '  });',
    '',
    "  test('the alarm state changes go to the central failure bus when FailureBusArn names one', () => {",
    "    template.hasParameter('FailureBusArn', { Default: '' });",
    "    template.hasResource('AWS::Events::Rule', { Condition: Match.anyValue(), Properties: Match.objectLike({ EventPattern: Match.objectLike({ source: ['aws.cloudwatch'] }) }) });",
    '  });',
    '});',
  ].join('\n');
}

/** `src/operations.ts` (owned): the team's additions to every tenant account. */
export function renderTenantBaselineOperationsSample(options: TenantBaselineOptions): string {
  const cls = tenantBaselineStackClass(options.name);
  return [
    `import type { ${cls} } from './stack';`,
    '',
    '/**',
    ' * Your additions to every tenant account: written once, never overwritten. Whatever you add',
    ' * here is paid in every tenant account, thousands of times: the fleet guardrails fail the',
    ' * synthesis on anything that costs while idle unless you acknowledge it with a reason, and',
    ' * `npx fleet cost --tenants <n>` prices it. For example, a budget alarm role, or a tag policy.',
    ' */',
    `export function extendTenantBaseline(_stack: ${cls}): void {`,
    '  // Nothing yet.',
    '}',
  ].join('\n');
}

export interface TenantBaselineReadmeInputs {
  readonly options: TenantBaselineOptions;
  readonly blueprintVersion: string;
  readonly ownership: Ownership;
}

/** The README (managed). */
export function renderTenantBaselineReadme(inputs: TenantBaselineReadmeInputs): string {
  const { options } = inputs;
  const roleName = options.recoveryRoleName ?? FLEET_RECOVERY_ROLE_NAME;
  return [
    `# ${markdownText(options.name)}`,
    '',
    markdownText(options.description ?? 'What every tenant account holds once: the recovery role and the account alarms.'),
    '',
    `Generated by the \`TenantBaseline\` blueprint (version ${inputs.blueprintVersion}). One CloudFormation stack,`,
    'deployed by its own StackSet into every tenant account (before the services), without CDK bootstrap.',
    '',
    '## What it holds',
    '',
    '| piece | what it is | idle cost per account per month |',
    '|---|---|---|',
    `| ${markdownCode(roleName, 'table')} | the role \`fleet dlq redrive\` assumes to deliver failed events back into this account: trusted by the central account ${markdownCode(options.centralAccountId, 'table')}${options.recoveryPrincipalArn ? ` (only ${markdownCode(options.recoveryPrincipalArn, 'table')})` : ''}, allowed PutEvents on this account's default bus, Invoke of its fleet functions, DescribeExecution and StartExecution of its fleet state machines, nothing else | $0 (IAM) |`,
    `| \`FleetDeployRole\` | the role the control plane's rollout engine assumes to deploy the fleet stacks: trusted by \`FleetRolloutEngineRole\` of ${markdownCode(options.centralAccountId, 'table')} only${options.organizationId ? ` (in ${markdownCode(options.organizationId, 'table')})` : ''}; may create, describe and execute change sets of \`fleet-*\` stacks and pass the execution role to CloudFormation, nothing else | $0 (IAM) |`,
    '| `FleetCloudFormationExecutionRole` | the role CloudFormation creates the service stacks\' resources with, assumed by CloudFormation only | $0 (IAM) |',
    '| `fleet-account-async-events-dropped` | one Metrics Insights alarm: `AsyncEventsDropped` summed over every function of the account | $0.10 per function metric the query analyzes per hour; none while idle |',
    `| \`fleet-account-concurrent-executions\` | the account-level \`ConcurrentExecutions\` at or above ${options.concurrencyThreshold ?? 800} for 5 minutes | $0.10 (one standard alarm metric) |`,
    '| state-change rule | forwards both alarms\' state changes to the central failure bus (only when `FailureBusArn` is set) | $0 |',
    '',
    'Two alarms per account for any number of services, instead of one or more per function: see',
    '`docs/cost.md` in the fleet repository (`npx fleet cost --tenants <n>` prices this stack with the services).',
    '',
    '## Deploying',
    '',
    'A StackSet with service-managed permissions and automatic deployment to the tenant OU, so every',
    'new tenant account gets it on joining. Parameters: `FailureBusArn`, the control plane\'s',
    '`FailureBusArn` output (where the alarm state changes go); `FailureDeadLetterQueueArn` may stay',
    'empty (the baseline routes no tenant events). Synthesize the template with `npx projen synth` (`cdk.out/`).',
    '',
    ...renderStackProjectCommands(),
    ...renderOwnershipSection(inputs.ownership),
  ].join('\n');
}
