import { pascalCase } from '../private/checks';
import { commentText, tsString } from '../private/encode';
import { StepFunctionsServiceOptions } from './options';

/**
 * `test/stack.test.ts` (managed): what every service of this blueprint guarantees, checked on
 * the synthesized template. Managed so no service can drop the guard against idle-cost resources.
 */
export function renderStackTestSource(options: StepFunctionsServiceOptions): string {
  const functionCount = Object.keys(options.functions).length;
  const routes = options.events ?? [];
  const routesToWorkflow = routes.some((r) => (r.target ?? 'workflow') === 'workflow');
  const routesToFunction = routes.some((r) => (r.target ?? 'workflow') !== 'workflow');
  return [
    "import { Match, Template } from 'aws-cdk-lib/assertions';",
    ...(routesToFunction ? ["import { CfnFunction } from 'aws-cdk-lib/aws-lambda';"] : []),
    ...(routesToWorkflow ? ["import { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';"] : []),
    "import { serviceApp } from '@fleet/workflows';",
    "import { buildStack } from '../src/main';",
    '',
    '// The one checked synthesis of this stack in the test run: the CloudFormation validator',
    '// (errors fail) and the cdk-nag packs (fleet guardrails, AwsSolutions) run here. Without',
    '// bundling: no assertion reads the handler bundles, and the build (src/main.ts) bundles them.',
    'const stack = buildStack(serviceApp({ bundling: false }));',
    'const template = Template.fromStack(stack);',
    ...(routesToWorkflow ? ['const stateMachineId = stack.getLogicalId(stack.workflow.stateMachine.node.defaultChild as CfnStateMachine);'] : []),
    ...(routesToFunction ? ['const functionId = (name: keyof typeof stack.functions) => stack.getLogicalId(stack.functions[name].node.defaultChild as CfnFunction);'] : []),
    '',
    `describe(${tsString(`${options.name} stack`)}, () => {`,
    `  test('has one Node.js 22 arm64 function per declared function', () => {`,
    `    template.resourceCountIs('AWS::Lambda::Function', ${functionCount});`,
    `    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'] }, ${functionCount});`,
    '  });',
    '',
    `  test('gives every function an explicit async config with an on-failure destination', () => {`,
    `    template.resourcePropertiesCountIs('AWS::Lambda::EventInvokeConfig', {`,
    '      MaximumRetryAttempts: Match.anyValue(),',
    '      MaximumEventAgeInSeconds: Match.anyValue(),',
    '      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },',
    `    }, ${functionCount});`,
    '  });',
    '',
    `  test('orchestrates the functions with one Standard state machine', () => {`,
    `    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);`,
    `    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });`,
    '  });',
    '',
    `  test('stores data in one on-demand table with point-in-time recovery', () => {`,
    `    template.resourceCountIs('AWS::DynamoDB::Table', 1);`,
    `    template.hasResourceProperties('AWS::DynamoDB::Table', {`,
    `      BillingMode: 'PAY_PER_REQUEST',`,
    '      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },',
    '    });',
    '  });',
    '',
    `  test('routes ${routes.length} event type${routes.length === 1 ? '' : 's'} to their targets with a retry policy', () => {`,
    `    template.resourceCountIs('AWS::Events::Rule', ${routes.length});`,
    ...routes.map((r) =>
      [
        `    template.hasResourceProperties('AWS::Events::Rule', {`,
        `      EventPattern: { 'source': [${tsString(r.source)}], 'detail-type': [${tsString(r.detailType)}] },`,
        `      Targets: [Match.objectLike({`,
        (r.target ?? 'workflow') === 'workflow'
          ? '        Arn: { Ref: stateMachineId },'
          : `        Arn: { 'Fn::GetAtt': [functionId(${tsString(r.target!)}), 'Arn'] },`,
        '        RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },',
        '      })],',
        '    });',
      ].join('\n'),
    ),
    '  });',
    '',
    `  test('has no SQS queue and no event source mapping: nothing polls in an idle tenant account', () => {`,
    `    template.resourceCountIs('AWS::SQS::Queue', 0);`,
    `    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);`,
    '  });',
    '',
    `  test('is env-agnostic: no account id or region is hard-coded', () => {`,
    '    const text = JSON.stringify(template.toJSON());',
    '    expect(text).not.toMatch(/\\b\\d{12}\\b/);',
    '    expect(text).not.toMatch(/\\b(us|eu|ap|sa|ca|me|af|il|mx)-(east|west|north|south|central|northeast|southeast|northwest|southwest)-\\d\\b/);',
    '  });',
    '});',
    '',
    `// ${commentText(pascalCase(options.name))}: generated from the fleet manifest; change the manifest, not this file.`,
  ].join('\n');
}
