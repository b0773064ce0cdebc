import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CentralFailurePath, FAILURE_MESSAGE_TEMPLATE, FleetRecoveryRole } from '../../src';

const ORG = 'o-a1b2c3d4e5';

function central(props: Partial<ConstructorParameters<typeof CentralFailurePath>[2]> = {}): { stack: Stack; path: CentralFailurePath; template: Template } {
  const stack = new Stack(new App(), 'Central');
  const path = new CentralFailurePath(stack, 'Failures', { organizationId: ORG, ...props });
  return { stack, path, template: Template.fromStack(stack) };
}

describe('CentralFailurePath', () => {
  test('GIVEN an organization WHEN synthesized THEN the bus admits PutEvents from that organization only', () => {
    const { template } = central();
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'fleet-failures' });
    const policies = template.findResources('AWS::Events::EventBusPolicy');
    expect(Object.keys(policies)).toHaveLength(1);
    const statement = Object.values<any>(policies)[0].Properties.Statement;
    expect(statement).toEqual({
      Sid: 'cdk-PutEventsFromTheOrganizationOnly',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: expect.anything(),
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
    });
  });

  test('the dead letters of tenant rules go to a queue of their own, admitted from the organization only; never into the central DLQ', () => {
    const { stack, path, template } = central();
    const queueId = stack.getLogicalId(path.tenantDeadLetterQueue.node.defaultChild as any);
    const failureQueueId = stack.getLogicalId(path.failureQueue.node.defaultChild as any);
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'fleet-failures-tenant-dead-letters', SqsManagedSseEnabled: true });
    const statementsOf = (id: string) => Object.values<any>(template.findResources('AWS::SQS::QueuePolicy'))
      .filter((p) => JSON.stringify(p.Properties.Queues).includes(id))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statementsOf(queueId)).toContainEqual({
      Sid: 'DeadLettersOfTenantRulesFromTheOrganizationOnly',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      Condition: { StringEquals: { 'aws:SourceOrgID': ORG } },
    });
    // Only the central rule may write into the central DLQ (its aws:SourceArn), nothing of the organization.
    expect(JSON.stringify(statementsOf(failureQueueId))).not.toContain('aws:SourceOrgID');
    expect(Object.values<any>(template.findOutputs('*')).map((o) => o.Value)).toContainEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
  });

  test.each(['sqs-managed', 'kms'] as const)('with encryption %s, EventBridge may write into the central DLQ for the central rule only', (encryption) => {
    const { stack, path, template } = central({ encryption });
    const queueId = stack.getLogicalId(path.failureQueue.node.defaultChild as any);
    const ruleArn = { 'Fn::GetAtt': [stack.getLogicalId(path.rule.node.defaultChild as any), 'Arn'] };
    const statements = Object.values<any>(template.findResources('AWS::SQS::QueuePolicy'))
      .filter((p) => JSON.stringify(p.Properties.Queues).includes(queueId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Sid: 'OnlyTheCentralRuleWritesHere',
      Effect: 'Deny',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      Condition: { ArnNotEquals: { 'aws:SourceArn': ruleArn } },
    });
  });

  test('sends every event not put by the central account into the central DLQ, with the envelope account on top', () => {
    const { stack, path, template } = central();
    const queueId = stack.getLogicalId(path.failureQueue.node.defaultChild as any);
    const dlqId = stack.getLogicalId(path.deliveryDeadLetterQueue.node.defaultChild as any);
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { account: [{ 'anything-but': [{ Ref: 'AWS::AccountId' }] }] },
      Targets: [{
        Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        Id: Match.anyValue(),
        InputTransformer: {
          InputPathsMap: { tenant: '$.account', region: '$.region', id: '$.id' },
          InputTemplate: FAILURE_MESSAGE_TEMPLATE,
        },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      }],
    });
  });

  test('the tenant comes from the envelope only: no input path reads the payload', () => {
    const { template } = central();
    const rule = Object.values<any>(template.findResources('AWS::Events::Rule'))[0];
    const paths = Object.values<string>(rule.Properties.Targets[0].InputTransformer.InputPathsMap);
    expect(paths.every((p) => !p.startsWith('$.detail'))).toBe(true);
    expect(FAILURE_MESSAGE_TEMPLATE).toBe(
      '{"fleetFailureMessage":1,"tenant":<tenant>,"region":<region>,"eventId":<id>,"ruleArn":"<aws.events.rule-arn>",' +
      '"ingestedAt":"<aws.events.event.ingestion-time>","event":<aws.events.event.json>}',
    );
  });

  test('encrypts the four queues with SQS-managed keys by default, denies plain HTTP, retains them', () => {
    const { template } = central();
    template.resourceCountIs('AWS::SQS::Queue', 4);
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 }, 4);
    template.resourceCountIs('AWS::KMS::Key', 0);
    for (const queue of Object.values<any>(template.findResources('AWS::SQS::Queue'))) {
      expect(queue.DeletionPolicy).toBe('Retain');
    }
    const denies = Object.values<any>(template.findResources('AWS::SQS::QueuePolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
    expect(denies).toHaveLength(4);
  });

  test('one tenant cannot starve another: by default no queue has a receive limit, so reading (every fleet dlq scan receives every message) never moves a message', () => {
    const { path, template } = central();
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() }, 0);
    expect(path.poisonQueue).toBeUndefined();
  });

  test('opted in with maxReceiveCount, the central DLQ moves poison messages to its own DLQ, which SQS can redrive back', () => {
    const { stack, path, template } = central({ maxReceiveCount: 20 });
    const poisonId = stack.getLogicalId(path.poisonQueue!.node.defaultChild as any);
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [poisonId, 'Arn'] }, maxReceiveCount: 20 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { RedriveAllowPolicy: { redrivePermission: 'allowAll' } });
  });

  test('with encryption "kms": one rotating key that EventBridge may use, on every queue', () => {
    const { stack, path, template } = central({ encryption: 'kms', maxReceiveCount: 20 });
    const keyId = stack.getLogicalId(path.encryptionKey!.node.defaultChild as any);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      })]) },
    });
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } }, 5);
  });

  test('grantRecovery lets the operator role consume the DLQs and send to quarantine', () => {
    const stack = new Stack(new App(), 'Central');
    const path = new CentralFailurePath(stack, 'Failures', { organizationId: ORG });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    path.grantRecovery(operator);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s) => [].concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:SendMessage']));
  });

  test.each([
    [{ organizationId: 'o-short' }, 'Central/Failures: organizationId must be an AWS Organizations id ("o-" then 10 to 32 lowercase letters or digits), got "o-short". Copy it from `aws organizations describe-organization --query Organization.Id`.'],
    [{ organizationId: 'O-A1B2C3D4E5' }, /organizationId must be an AWS Organizations id.*got "O-A1B2C3D4E5"/],
    [{ organizationId: ORG, eventBusName: 'default' }, 'Central/Failures: eventBusName must be 1-256 letters, digits, ".", "-" or "_" and not "default", got "default". Pass a name such as "fleet-failures", or leave it out.'],
    [{ organizationId: ORG, maxReceiveCount: 0 }, /maxReceiveCount must be an integer between 1 and 1000, got 0/],
    [{ organizationId: ORG, retentionDays: 15 }, /retentionDays must be an integer between 1 and 14, got 15/],
    [{ organizationId: ORG, encryption: 'aws-managed' as any }, /encryption must be "sqs-managed" or "kms", got "aws-managed"/],
  ])('rejects %j with a message that names the option, shows the value and says the fix', (props, message) => {
    const stack = new Stack(new App(), 'Central');
    expect(() => new CentralFailurePath(stack, 'Failures', props as any)).toThrow(message);
  });
});

describe('FleetRecoveryRole', () => {
  test('is trusted by the central account and may only redeliver into this account\'s own fleet resources', () => {
    const stack = new Stack(new App(), 'TenantBaseline');
    new FleetRecoveryRole(stack, 'Recovery', { centralAccountId: '999988887777' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'FleetRecoveryRole',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({
        Action: 'sts:AssumeRole',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999988887777:root']] } },
      })] },
    });
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const inThisAccount = (service: string, resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:*:`, { Ref: 'AWS::AccountId' }, resource]] });
    const taggedByTheFleet = { Null: { 'aws:ResourceTag/fleet:service': 'false' } };
    expect(statements).toEqual([
      { Sid: 'PutEventsAgainOnThisAccountsDefaultBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: inThisAccount('events', ':event-bus/default') },
      { Sid: 'InvokeThisAccountsFleetFunctionsAgain', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: inThisAccount('lambda', ':function:*'), Condition: taggedByTheFleet },
      { Sid: 'ReadThisAccountsFailedExecutions', Effect: 'Allow', Action: 'states:DescribeExecution', Resource: inThisAccount('states', ':execution:*:*') },
      { Sid: 'StartThisAccountsFleetWorkflowsAgain', Effect: 'Allow', Action: 'states:StartExecution', Resource: inThisAccount('states', ':stateMachine:*'), Condition: taggedByTheFleet },
    ]);
  });

  test('with centralPrincipalArn, only that principal of the central account is trusted', () => {
    const stack = new Stack(new App(), 'TenantBaseline');
    new FleetRecoveryRole(stack, 'Recovery', { centralAccountId: '999988887777', centralPrincipalArn: 'arn:aws:iam::999988887777:role/FleetOperator' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [
        Match.objectLike({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:role/FleetOperator' } }),
        Match.objectLike({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:PrincipalAccount': '999988887777' } } }),
      ] },
    });
  });

  test('rejects a central account id that is not 12 digits', () => {
    const stack = new Stack(new App(), 'TenantBaseline');
    expect(() => new FleetRecoveryRole(stack, 'Recovery', { centralAccountId: '12345' })).toThrow(
      'TenantBaseline/Recovery: centralAccountId must be a 12-digit AWS account id, got "12345". Pass the control-plane account id, for example "111122223333".',
    );
  });
});
