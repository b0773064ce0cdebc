import { pascalCase } from '../private/checks';
import { commentText, markdownCode, markdownText, tsString } from '../private/encode';
import { Ownership, renderOwnershipSection } from '../components/ownership';
import { renderStackProjectCommands } from '../components/single-stack-project';
import { ControlPlaneOptions } from './options';

/** `control-plane` -> `ControlPlaneStack`. */
export function controlPlaneStackClass(name: string): string {
  return `${pascalCase(name)}Stack`;
}

/** `src/stack.ts` (managed): the central account's stack, wired from the options. */
export function renderControlPlaneStack(options: ControlPlaneOptions, blueprintVersion: string): string {
  const cls = controlPlaneStackClass(options.name);
  const props = [
    `      organizationId: ${tsString(options.organizationId)},`,
    ...(options.failureBusName ? [`      eventBusName: ${tsString(options.failureBusName)},`] : []),
    ...(options.encryption ? [`      encryption: ${tsString(options.encryption)},`] : []),
    ...(options.maxReceiveCount !== undefined ? [`      maxReceiveCount: ${options.maxReceiveCount},`] : []),
    ...(options.retentionDays !== undefined ? [`      retentionDays: ${options.retentionDays},`] : []),
  ];
  const rollout = options.rollout ?? {};
  const rolloutProps = [
    `      organizationId: ${tsString(options.organizationId)},`,
    ...(['pollSeconds', 'maxPolls', 'throttleAttempts', 'maxBackoffSeconds', 'pausePollSeconds', 'minimumStackUpdateSeconds'] as const)
      .filter((key) => rollout[key] !== undefined).map((key) => `      ${key}: ${rollout[key]},`),
    // Keys are checked service names and values integers; both are rendered as literals anyway.
    ...(rollout.minimumStackUpdateSecondsByService !== undefined
      ? [`      minimumStackUpdateSecondsByService: { ${Object.entries(rollout.minimumStackUpdateSecondsByService).map(([service, seconds]) => `${tsString(service)}: ${Number(seconds)}`).join(', ')} },`]
      : []),
  ];
  const onboarding = options.onboarding === false ? undefined : (options.onboarding ?? {});
  const onboardingLines = onboarding ? [
    '',
    '    // Tenant onboarding (fleet tenants onboard): account, OU, baseline, every service, registry.',
    '    // It runs as the engine\'s role: the tenant deploy roles trust that role only.',
    "    this.onboarding = new TenantOnboarding(this, 'Onboarding', {",
    `      organizationId: ${tsString(options.organizationId)},`,
    '      statusTable: this.rollout.statusTable,',
    '      role: this.rollout.stateMachine.role,',
    ...(['maxConcurrentOnboardings', 'pollSeconds', 'maxPolls', 'maxConcurrentAccountCreations'] as const)
      .filter((key) => onboarding[key] !== undefined).map((key) => `      ${key}: ${onboarding[key]},`),
    ...(onboarding.baselineStackSetName !== undefined ? [`      baselineStackSetName: ${tsString(onboarding.baselineStackSetName)},`] : []),
    '    });',
  ] : [];
  const sets = options.stackSets;
  const stackSetLines = sets ? [
    '',
    '    // One StackSet per tenant service: the simple path, and how accounts added to the target OUs',
    '    // get every service. Each deploys the release template named by its <Service>TemplateUrl parameter.',
    `    for (const service of ${tsArray(sets.services)}) {`,
    "      const templateUrl = new CfnParameter(this, `${pascal(service)}TemplateUrl`, {",
    "        description: `HTTPS URL of the ${service} release template the StackSet deploys (printed by fleet release)`,",
    '      });',
    "      this.stackSets[service] = new FleetStackSet(this, `${pascal(service)}StackSet`, {",
    '        serviceName: service,',
    '        templateUrl: templateUrl.valueAsString,',
    `        regions: ${tsArray(sets.regions)},`,
    ...(sets.permissionModel ? [`        permissionModel: ${tsString(sets.permissionModel)},`] : []),
    ...(sets.organizationalUnitIds?.length ? [`        organizationalUnitIds: ${tsArray(sets.organizationalUnitIds)},`] : []),
    `        maxConcurrentPercentage: ${sets.maxConcurrentPercentage ?? 25},`,
    `        failureTolerancePercentage: ${sets.failureTolerancePercentage ?? 10},`,
    ...(sets.regionConcurrency ? [`        regionConcurrency: ${tsString(sets.regionConcurrency)},`] : []),
    '        parameters: {',
    '          FailureBusArn: this.failurePath.eventBus.eventBusArn,',
    '          FailureDeadLetterQueueArn: this.failurePath.tenantDeadLetterQueue.queueArn,',
    '        },',
    '      });',
    '    }',
  ] : [];
  return [
    `import { Aws, ${sets ? 'CfnParameter, ' : ''}CliCredentialsStackSynthesizer, Stack, StackProps, Tags } from 'aws-cdk-lib';`,
    "import { Construct } from 'constructs';",
    `import { addFleetChecks, CentralFailurePath, FleetStackSet, RolloutEngine${onboarding ? ', TenantOnboarding' : ''} } from '@fleet/workflows';`,
    "import { extendControlPlane } from './operations';",
    '',
    '/**',
    ` * ${commentText(options.description ?? 'The fleet control plane, in the central account.')}`,
    ' *',
    ' * Deployed once, in the central account (not by a StackSet). Holds the central failure path',
    ' * (the organization-scoped failure bus and the encrypted central DLQ that `fleet dlq` reads),',
    ' * the rollout engine (`fleet rollout`: waves of Distributed Map Runs, health gates, the release',
    ' * status table and buckets), the tenant onboarding unless `onboarding` is false, and one StackSet',
    ' * per tenant service when `stackSets` is set.',
    ' */',
    `export class ${cls} extends Stack {`,
    '  /** The organization-scoped failure bus, the central DLQ and its companions. */',
    '  public readonly failurePath: CentralFailurePath;',
    '',
    '  /** The rollout engine, its status table, rollout bucket and this Region\'s release bucket. */',
    '  public readonly rollout: RolloutEngine;',
    '',
    ...(onboarding ? [
      '  /** Tenant onboarding: its state machine and the tenant registry table. */',
      '  public readonly onboarding: TenantOnboarding;',
      '',
    ] : []),
    '  /** The StackSet of each tenant service, by service name. */',
    '  public readonly stackSets: Record<string, FleetStackSet> = {};',
    '',
    '  constructor(scope: Construct, id: string, props: StackProps = {}) {',
    '    super(scope, id, {',
    `      description: ${tsString(`Fleet control plane ${options.name} (blueprint ${blueprintVersion})`)},`,
    '      analyticsReporting: false,',
    '      // No bootstrap needed and no assets: the template deploys with plain CloudFormation.',
    '      synthesizer: props.synthesizer ?? new CliCredentialsStackSynthesizer(),',
    '      ...props,',
    '    });',
    '',
    "    this.failurePath = new CentralFailurePath(this, 'FailurePath', {",
    ...props,
    '    });',
    '',
    "    this.rollout = new RolloutEngine(this, 'Rollout', {",
    ...rolloutProps,
    '    });',
    ...onboardingLines,
    ...stackSetLines,
    '',
    "    // The same guardrails as every tenant service: nothing that costs while idle without a written reason.",
    '    addFleetChecks(this);',
    '',
    "    // Cost attribution as in the tenant accounts: here the \"tenant\" is the central account itself.",
    "    Tags.of(this).add('fleet:tenant', Aws.ACCOUNT_ID, { excludeResourceTypes: ['aws:cdk:stack'] });",
    `    Tags.of(this).add('fleet:service', ${tsString(options.name)});`,
    `    Tags.of(this).add('fleet:blueprint-version', ${tsString(blueprintVersion)});`,
    '',
    '    // Your additions (alarms, dashboards, operator roles) live in the owned src/operations.ts.',
    '    extendControlPlane(this);',
    '  }',
    '}',
    ...(sets ? [
      '',
      '/** `scan-ingest` -> `ScanIngest` (construct ids and parameter names). */',
      'function pascal(kebab: string): string {',
      "  return kebab.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');",
      '}',
    ] : []),
  ].join('\n');
}

function tsArray(values: readonly string[]): string {
  return `[${values.map((v) => tsString(v)).join(', ')}]`;
}

/** `test/stack.test.ts` (managed): what every control plane guarantees, on the synthesized template. */
export function renderControlPlaneStackTest(options: ControlPlaneOptions): string {
  const kms = options.encryption === 'kms';
  const poison = options.maxReceiveCount !== undefined;
  const queues = poison ? 5 : 4;
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
    "  test('the failure bus admits PutEvents from the organization only', () => {",
    "    const policies = Object.values<any>(template.findResources('AWS::Events::EventBusPolicy'));",
    '    expect(policies).toHaveLength(1);',
    '    expect(policies[0].Properties.Statement).toEqual(expect.objectContaining({',
    "      Effect: 'Allow',",
    "      Principal: { AWS: '*' },",
    "      Action: 'events:PutEvents',",
    `      Condition: { StringEquals: { 'aws:PrincipalOrgID': ${tsString(options.organizationId)} } },`,
    '    }));',
    '  });',
    '',
    "  test('every tenant event goes to the central DLQ with the envelope account, and a DLQ for delivery failures', () => {",
    "    template.resourceCountIs('AWS::Events::Rule', 1);",
    "    template.hasResourceProperties('AWS::Events::Rule', {",
    "      EventPattern: { account: [{ 'anything-but': [{ Ref: 'AWS::AccountId' }] }] },",
    '      Targets: [Match.objectLike({',
    "        InputTransformer: Match.objectLike({ InputPathsMap: Match.objectLike({ tenant: '$.account' }) }),",
    '        DeadLetterConfig: { Arn: Match.anyValue() },',
    '      })],',
    '    });',
    '  });',
    '',
    `  test('encrypts every queue at rest (${kms ? 'customer-managed KMS key' : 'SQS-managed keys'}) and refuses plain HTTP', () => {`,
    `    template.resourceCountIs('AWS::SQS::Queue', ${queues});`,
    kms
      ? `    template.resourcePropertiesCountIs('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() }, ${queues});`
      : `    template.resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true }, ${queues});`,
    "    const denies = Object.values<any>(template.findResources('AWS::SQS::QueuePolicy'))",
    '      .flatMap((p) => p.Properties.PolicyDocument.Statement)',
    "      .filter((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');",
    `    expect(denies).toHaveLength(${queues});`,
    '  });',
    '',
    ...(poison
      ? [
        "  test('the central DLQ moves a message to its poison queue after maxReceiveCount receives (opted in)', () => {",
        `    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: ${options.maxReceiveCount} } });`,
        '  });',
      ]
      : [
        "  test('reading never moves a message: no queue has a receive limit (every fleet dlq scan receives every message)', () => {",
        "    template.resourcePropertiesCountIs('AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() }, 0);",
        '  });',
      ]),
    '',
    "  test('nothing polls the central DLQ: it is read by fleet dlq only', () => {",
    "    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);",
    '  });',
    '',
    "  test('the rollout engine: a Standard state machine whose waves are Distributed Map Runs reading the wave list from S3 and writing results to S3', () => {",
    "    const [machine] = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'));",
    "    expect(machine.Properties.StateMachineType).toBe('STANDARD');",
    '    const definition = JSON.stringify(machine.Properties.DefinitionString);',
    "    for (const part of ['ItemReader', 'ResultWriter', 'DISTRIBUTED', 'aws-sdk:cloudformation:createChangeSet', 'aws-sdk:cloudwatch:describeAlarms']) {",
    '      expect(definition).toContain(part);',
    '    }',
    "    template.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });",
    "    template.resourceCountIs('AWS::S3::Bucket', 2);",
    "    template.hasOutput('RolloutStateMachineArn', {});",
    '  });',
    ...(options.onboarding === false ? [] : [
      '',
      "  test('tenant onboarding: a Standard state machine creating accounts through the management account, one Distributed Map child per tenant, and the tenant registry table', () => {",
      "    const machines = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'));",
      '    expect(machines).toHaveLength(2);',
      "    const onboarding = JSON.stringify(machines.find((m) => JSON.stringify(m.Properties.DefinitionString).includes('createAccount')).Properties.DefinitionString);",
      "    for (const part of ['aws-sdk:organizations:createAccount', 'aws-sdk:organizations:describeCreateAccountStatus', 'aws-sdk:organizations:moveAccount', 'aws-sdk:cloudformation:describeStackInstance', 'DISTRIBUTED']) {",
      '      expect(onboarding).toContain(part);',
      '    }',
      "    template.resourceCountIs('AWS::DynamoDB::Table', 2);",
      "    template.hasOutput('TenantOnboardingStateMachineArn', {});",
      "    template.hasOutput('TenantRegistryTableName', {});",
      '  });',
    ]),
    ...(options.stackSets ? [
      '',
      `  test(${tsString(`one StackSet per tenant service (${options.stackSets.services.length}), managed execution, SOFT_FAILURE_TOLERANCE, explicit concurrency and tolerance`)}, () => {`,
      "    const stackSets = Object.values<any>(template.findResources('AWS::CloudFormation::StackSet')).map((s) => s.Properties);",
      `    expect(stackSets.map((s) => s.StackSetName)).toEqual(${JSON.stringify(options.stackSets.services.map((s) => `fleet-${s}`))});`,
      '    for (const stackSet of stackSets) {',
      `      expect(stackSet.PermissionModel).toBe(${tsString(options.stackSets.permissionModel ?? 'SERVICE_MANAGED')});`,
      '      expect(stackSet.ManagedExecution).toEqual({ Active: true });',
      '      expect(stackSet.OperationPreferences).toEqual(expect.objectContaining({',
      "        ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',",
      `        MaxConcurrentPercentage: ${options.stackSets.maxConcurrentPercentage ?? 25},`,
      `        FailureTolerancePercentage: ${options.stackSets.failureTolerancePercentage ?? 10},`,
      `        RegionOrder: ${JSON.stringify(options.stackSets.regions)},`,
      '      }));',
      '    }',
      '  });',
    ] : []),
    '});',
  ].join('\n');
}

/** `src/operations.ts` (owned): the team's additions to the control plane. */
export function renderOperationsSample(options: ControlPlaneOptions): string {
  const cls = controlPlaneStackClass(options.name);
  return [
    `import type { ${cls} } from './stack';`,
    '',
    '/**',
    ' * Your additions to the control plane: alarms, dashboards, operator roles. This file is yours:',
    ' * written once, never overwritten. For example, an alarm when failures wait in the central DLQ:',
    ' *',
    " *   new cloudwatch.Alarm(stack, 'FailuresWaiting', {",
    ' *     metric: stack.failurePath.metricMessagesWaiting(), threshold: 1, evaluationPeriods: 1,',
    ' *   });',
    ' *',
    ' * and the role operators use to run `fleet dlq`: `stack.failurePath.grantRecovery(role)`.',
    ' */',
    `export function extendControlPlane(_stack: ${cls}): void {`,
    '  // Nothing yet.',
    '}',
  ].join('\n');
}

export interface ControlPlaneReadmeInputs {
  readonly options: ControlPlaneOptions;
  readonly blueprintVersion: string;
  readonly ownership: Ownership;
}

/** The README (managed). */
export function renderControlPlaneReadme(inputs: ControlPlaneReadmeInputs): string {
  const { options } = inputs;
  return [
    `# ${markdownText(options.name)}`,
    '',
    markdownText(options.description ?? 'The fleet control plane, in the central account.'),
    '',
    `Generated by the \`ControlPlane\` blueprint (version ${inputs.blueprintVersion}). One CloudFormation stack,`,
    'deployed once in the central account (not by a StackSet), without CDK bootstrap or assets.',
    '',
    '## What it holds',
    '',
    '| piece | what it is |',
    '|---|---|',
    `| failure bus ${markdownCode(options.failureBusName ?? 'fleet-failures', 'table')} | EventBridge bus; only accounts of ${markdownCode(options.organizationId, 'table')} may put events (\`aws:PrincipalOrgID\`). Its ARN is every tenant stack's \`FailureBusArn\` parameter. |`,
    '| central DLQ (`FailureQueue`) | every failed invocation and execution of every tenant, with the tenant (the envelope account) on top of each message |',
    ...(options.maxReceiveCount !== undefined
      ? [`| \`PoisonQueue\` | messages received ${options.maxReceiveCount} times from the central DLQ (\`maxReceiveCount\`, opted in: every \`fleet dlq\` scan receives every message); SQS redrive moves them back |`]
      : []),
    '| `DeliveryDeadLetterQueue` | events the rule could not write into the central DLQ |',
    '| `QuarantineQueue` | messages `fleet dlq redrive` refused to deliver (tenant missing or contradicted by the payload) |',
    `| ${markdownCode(`${options.failureBusName ?? 'fleet-failures'}-tenant-dead-letters`, 'table')} | events the tenant accounts\' own rules could not deliver (their targets\' DLQ); admits EventBridge of the organization only (\`aws:SourceOrgID\`), apart from the central DLQ so no tenant can write into that |`,
    '',
    'Every tenant stack (services and `tenant-baseline`) takes two of its outputs as parameters:',
    '`FailureBusArn` (where failed invocations and executions are reported) and `TenantDeadLetterQueueArn`',
    'as `FailureDeadLetterQueueArn` (where tenant rules put the events they could not deliver: the',
    'tenant dead-letter queue below, read with `fleet dlq --queue-url <TenantDeadLetterQueueUrl>`).',
    '',
    `Queues are encrypted with ${options.encryption === 'kms' ? 'a customer-managed KMS key' : 'SQS-managed keys (SSE-SQS)'}. Recovery: \`npx fleet dlq --help\`;`,
    'the design and the tenant-isolation rules: `docs/failure-path.md` in the fleet repository.',
    '',
    '## Deploying to the tenants',
    '',
    '| piece | what it is |',
    '|---|---|',
    '| rollout engine (`RolloutStateMachineArn`) | Standard state machine `fleet rollout start` runs: for each wave, the control item (pause, resume, abort), one Distributed Map Run over the wave list, each child deploying one tenant through a change set named from the release id with the deploy role `FleetDeployRole`, then the health gate (bake, alarms, minimum traffic) |',
    '| release status table (`ReleaseStatusTableName`) | desired and deployed release per tenant, service and Region: a rollout resumed or run again skips what is at the release, without a CloudFormation call |',
    '| rollout bucket (`RolloutBucketName`) | wave lists and Map Run results |',
    ...(options.onboarding === false ? [] : [
      '| tenant onboarding (`TenantOnboardingStateMachineArn`) | Standard state machine `fleet tenants onboard` runs: per tenant, the request recorded (idempotent), the account created through the management account\'s `FleetAccountFactoryRole`, moved to its OU, the baseline StackSet instance awaited, every service deployed at its current release in dependency order |',
      '| tenant registry table (`TenantRegistryTableName`) | one item per tenant: the request, each step with its state and error, the account, services and releases, the ready time |',
    ]),
    '| release bucket (`ReleaseBucketPrefix`-Region) | release templates and code, readable by the organization only |',
    ...(options.stackSets
      ? [`| StackSets ${options.stackSets.services.map((s) => markdownCode(`fleet-${s}`, 'table')).join(', ')} | ${options.stackSets.permissionModel === 'SELF_MANAGED' ? 'self-managed' : 'service-managed (new accounts of the target OUs get every service)'}; SOFT_FAILURE_TOLERANCE, ${options.stackSets.maxConcurrentPercentage ?? 25}% at once, ${options.stackSets.failureTolerancePercentage ?? 10}% tolerated; the template URL of each is the \`<Service>TemplateUrl\` stack parameter |`]
      : []),
    '',
    ...renderStackProjectCommands(),
    ...renderOwnershipSection(inputs.ownership),
  ].join('\n');
}
