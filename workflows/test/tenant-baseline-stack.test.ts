import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TenantBaselineStack } from '../src';

const CENTRAL = '999988887777';

describe('TenantBaselineStack', () => {
  // GIVEN the baseline every tenant account gets once
  const stack = new TenantBaselineStack(new App(), 'tenant-baseline', { blueprintVersion: '1.0.0', centralAccountId: CENTRAL });
  // WHEN synthesized (the fleet guardrails and AwsSolutions run here and throw on a finding)
  const template = Template.fromStack(stack);

  test('holds the recovery role, trusted by the central account only', () => {
    template.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: 'FleetRecoveryRole' }, 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'FleetRecoveryRole',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CENTRAL}:root`]] } } })] },
    });
    template.hasOutput('RecoveryRoleArn', {});
  });

  test('holds the deploy role, trusted by the central account\'s rollout engine role only, in the organization', () => {
    const withOrg = Template.fromStack(new TenantBaselineStack(new App(), 'with-org', { blueprintVersion: '1.0.0', centralAccountId: CENTRAL, organizationId: 'o-a1b2c3d4e5' }));
    withOrg.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'FleetDeployRole',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: { Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CENTRAL}:role/FleetRolloutEngineRole`]] } },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      }] },
    });
    withOrg.hasOutput('DeployRoleArn', {});
  });

  test('the deploy role may only run change sets of fleet stacks, delete fleet stacks (the ROLLBACK_COMPLETE a failed create leaves) and pass the CloudFormation execution role to CloudFormation', () => {
    const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'FleetDeployRole' } });
    const [deployId] = Object.keys(roles);
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(deployId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.map((s) => s.Sid).sort()).toEqual(['ChangeSetsOfFleetStacksOnly', 'DeleteFleetStacksAFailedCreateLeft', 'PassTheExecutionRoleToCloudFormationOnly', 'ReadReleaseTemplates']);
    const deletion = statements.find((s) => s.Sid === 'DeleteFleetStacksAFailedCreateLeft');
    expect(deletion.Action).toBe('cloudformation:DeleteStack');
    expect(JSON.stringify(deletion.Resource)).toContain(':stack/fleet-*/*');
    expect(statements.find((s) => s.Sid === 'PassTheExecutionRoleToCloudFormationOnly').Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'FleetCloudFormationExecutionRole',
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'cloudformation.amazonaws.com' } })] },
    });
  });

  test('holds the two account alarms, whatever the number of services and functions', () => {
    expect(Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName).sort())
      .toEqual(['fleet-account-async-events-dropped', 'fleet-account-concurrent-executions']);
  });

  test('forwards the alarms\' state changes to the central failure bus when FailureBusArn names one', () => {
    template.hasResource('AWS::Events::Rule', {
      Condition: Match.anyValue(),
      Properties: { EventPattern: { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'detail': { alarmName: ['fleet-account-async-events-dropped', 'fleet-account-concurrent-executions'] } } },
    });
  });

  test('is a fleet stack: the failure parameters, tenant and service tags, no bootstrap parameter', () => {
    expect(Object.keys(template.toJSON().Parameters)).toEqual(['FailureBusArn', 'FailureDeadLetterQueueArn']);
    template.hasResourceProperties('AWS::IAM::Role', {
      Tags: Match.arrayWith([{ Key: 'fleet:service', Value: 'tenant-baseline' }, { Key: 'fleet:tenant', Value: { Ref: 'AWS::AccountId' } }]),
    });
  });

  test('contains nothing else that is paid while idle: no function, queue, key or schedule', () => {
    for (const type of ['AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::Scheduler::Schedule', 'AWS::Lambda::EventSourceMapping']) {
      template.resourceCountIs(type, 0);
    }
  });

  test('takes another role name and a single trusted principal', () => {
    const custom = Template.fromStack(new TenantBaselineStack(new App(), 'custom', {
      blueprintVersion: '1.0.0', centralAccountId: CENTRAL, recoveryRoleName: 'AcmeRecovery', recoveryPrincipalArn: `arn:aws:iam::${CENTRAL}:role/FleetOperator`,
    }));
    custom.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'AcmeRecovery',
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { AWS: `arn:aws:iam::${CENTRAL}:role/FleetOperator` } })]) },
    });
  });

  test('rejects a central account id that is not 12 digits, naming it and the fix', () => {
    expect(() => new TenantBaselineStack(new App(), 'bad', { blueprintVersion: '1.0.0', centralAccountId: '9999' })).toThrow(
      'bad/RecoveryRole: centralAccountId must be a 12-digit AWS account id, got "9999". Pass the control-plane account id, for example "111122223333".',
    );
  });
});
