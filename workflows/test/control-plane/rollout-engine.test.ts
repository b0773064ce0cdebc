import { CONTROL_PLANE_OUTPUTS, FLEET_DEPLOY_ROLE_NAME } from '@fleet/contracts';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addFleetChecks, RolloutEngine } from '../../src';
import { validateDefinition } from '../../src/local';
import { CfnResolver } from '../../src/testing/cfn-resolver';

const ORG = 'o-a1b2c3d4e5';

function engine(): { stack: Stack; engine: RolloutEngine; template: Template; definition: any } {
  const stack = new Stack(new App(), 'Central');
  const rollout = new RolloutEngine(stack, 'Rollout', { organizationId: ORG });
  // As the control plane stack tags every resource (Fleet-Tags1).
  Tags.of(stack).add('fleet:tenant', 'central');
  Tags.of(stack).add('fleet:service', 'control-plane');
  // Both rule packs (AwsSolutions and FleetGuardrailsChecks) fail synthesis on any finding.
  addFleetChecks(stack);
  const template = Template.fromStack(stack);
  const machine = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'))[0];
  const resolver = new CfnResolver(template.toJSON() as any, {
    region: 'eu-west-1', accountId: '111122223333', partition: 'aws', stackName: 'Central', tableNames: {},
  });
  return { stack, engine: rollout, template, definition: JSON.parse(resolver.resolve(machine.Properties.DefinitionString, 'DefinitionString')) };
}

describe('RolloutEngine', () => {
  const { template, definition } = engine();

  test('GIVEN the engine WHEN synthesized THEN each wave is one Distributed Map Run reading the wave list from S3 and writing results to S3', () => {
    const map = definition.States.DeployWave;
    expect(map).toEqual(expect.objectContaining({
      Type: 'Map',
      Label: 'Wave',
      MaxConcurrencyPath: '$.maxConcurrency',
      ToleratedFailurePercentagePath: '$.toleratedFailurePercentage',
    }));
    expect(map.ItemReader).toEqual(expect.objectContaining({
      Resource: expect.stringContaining('states:::s3:getObject'),
      ReaderConfig: { InputType: 'JSON' },
      Parameters: expect.objectContaining({ 'Key.$': '$.itemsKey' }),
    }));
    expect(map.ResultWriter).toEqual(expect.objectContaining({
      Resource: expect.stringContaining('states:::s3:putObject'),
      Parameters: expect.objectContaining({ 'Prefix.$': '$.resultsPrefix' }),
    }));
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
  });

  test('the children create a change set with the deploy role credentials and a RollbackConfiguration, and treat AlreadyExists as resume', () => {
    const child = definition.States.DeployWave.ItemProcessor.States;
    const create = child.CreateChangeSet;
    expect(create.Resource).toContain('aws-sdk:cloudformation:createChangeSet');
    expect(create.Credentials).toEqual({ RoleArn: '{% $item.deployRoleArn %}' });
    expect(create.Arguments.RollbackConfiguration).toEqual({
      RollbackTriggers: expect.stringContaining('AWS::CloudWatch::Alarm'),
      MonitoringTimeInMinutes: '{% $item.monitoringTimeInMinutes %}',
    });
    expect(create.Catch[0]).toEqual(expect.objectContaining({ ErrorEquals: ['CloudFormation.AlreadyExistsException'], Next: 'WaitForChangeSet' }));
    expect(create.Retry[0]).toEqual(expect.objectContaining({
      ErrorEquals: expect.arrayContaining(['CloudFormation.ThrottlingException']), BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL',
    }));
    expect(child.WaitForChangeSet.Seconds).toContain('$random()');
    expect(child.ReadStatus.Resource).toContain('aws-sdk:dynamodb:getItem');
    expect(child['AtRelease?'].Choices[0]).toEqual({ Condition: '{% $deployedRelease = $item.releaseId %}', Next: 'AlreadyAtRelease' });
  });

  test('between waves: a bake, the gate alarms and the minimum-traffic rule, each stopping the rollout with its own error', () => {
    const states = definition.States;
    expect(states.Bake.Seconds).toBe('{% $wave.gate.bakeSeconds %}');
    expect(states.ReadGateAlarms.Resource).toContain('aws-sdk:cloudwatch:describeAlarms');
    expect(states.ReadGateTraffic.Resource).toContain('aws-sdk:cloudwatch:getMetricData');
    expect(Object.values<any>(states).filter((s) => s.Type === 'Fail').map((s) => s.Error).sort())
      .toEqual(['Fleet.GateAlarmMissing', 'Fleet.GateInAlarm', 'Fleet.GateSilent', 'Fleet.RolloutAborted', 'Fleet.WaveFailed']);
    expect(states.Paused.Next).toBe('ReadControl');
  });

  test('the status table is on demand with point-in-time recovery; the buckets block public access and refuse plain HTTP', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }, { AttributeName: 'serviceRegion', KeyType: 'RANGE' }],
    });
    template.resourcePropertiesCountIs('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    }, 2);
    const statements = Object.values<any>(template.findResources('AWS::S3::BucketPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toHaveLength(2);
    expect(statements).toContainEqual(expect.objectContaining({
      Sid: 'ReadableByTheOrganizationOnly', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
    }));
  });

  test('the engine may assume only the deploy role, and only in accounts of the organization', () => {
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const assume = statements.filter((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(assume).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::*:role/${FLEET_DEPLOY_ROLE_NAME}`]] } }),
      expect.objectContaining({ Effect: 'Deny', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceOrgID': ORG } } }),
    ]));
    expect(assume.filter((s) => s.Effect === 'Allow').every((s) => JSON.stringify(s.Resource).includes(FLEET_DEPLOY_ROLE_NAME))).toBe(true);
  });

  test('the local runtime accepts the synthesized definition (JSONata states with a JSONPath Distributed Map)', () => {
    expect(validateDefinition(definition)).toEqual([]);
  });

  test('outputs carry the names the CLI reads', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(Object.values(CONTROL_PLANE_OUTPUTS).sort());
    template.hasOutput(CONTROL_PLANE_OUTPUTS.releaseBucketPrefix, { Value: Match.anyValue() });
  });

  test('GIVEN no shortest stack update WHEN synthesized THEN ExecuteChangeSet goes straight to the jittered polls; GIVEN one per service THEN a first Wait of that many seconds (the fleet-wide value for the others) comes before the first poll', () => {
    expect(definition.States.DeployWave.ItemProcessor.States.ExecuteChangeSet.Next).toBe('WaitForStack');
    const stack = new Stack(new App(), 'Central');
    new RolloutEngine(stack, 'Rollout', { organizationId: ORG, minimumStackUpdateSeconds: 30, minimumStackUpdateSecondsByService: { 'scan-ingest': 90 } });
    const machine = Object.values<any>(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))[0];
    const resolver = new CfnResolver(Template.fromStack(stack).toJSON() as any, { region: 'eu-west-1', accountId: '111122223333', partition: 'aws', stackName: 'Central', tableNames: {} });
    const child = JSON.parse(resolver.resolve(machine.Properties.DefinitionString, 'DefinitionString') as string).States.DeployWave.ItemProcessor.States;
    expect(child.ExecuteChangeSet.Next).toBe('WaitForUpdate');
    expect(child.WaitForUpdate).toEqual({
      Type: 'Wait', QueryLanguage: 'JSONata', Seconds: '{% $exists($lookup({"scan-ingest":90}, $item.service)) ? $lookup({"scan-ingest":90}, $item.service) : 30 %}', Next: 'PollStack',
    });
    expect(validateDefinition({ ...JSON.parse(resolver.resolve(machine.Properties.DefinitionString, 'DefinitionString') as string) })).toEqual([]);
  });

  test('GIVEN a per-service shortest update keyed by something not a service name, or out of range WHEN constructed THEN the error names it and says the fix', () => {
    expect(() => new RolloutEngine(new Stack(), 'Rollout', { organizationId: ORG, minimumStackUpdateSecondsByService: { '%} $x {%': 10 } })).toThrow(
      'Rollout: minimumStackUpdateSecondsByService has a key that is not a service name, got "%} $x {%". Use the service names of the registry (lowercase letters, digits and dashes, starting with a letter).');
    expect(() => new RolloutEngine(new Stack(), 'Rollout', { organizationId: ORG, minimumStackUpdateSecondsByService: { 'scan-ingest': 0 } })).toThrow(
      "Rollout: minimumStackUpdateSecondsByService['scan-ingest'] must be an integer between 1 and 3600, got 0. Pass a value from 1 to 3600 (seconds of the shortest stack update).");
  });

  test('GIVEN a malformed organization id WHEN constructed THEN the error names it and says the fix', () => {
    expect(() => new RolloutEngine(new Stack(), 'Rollout', { organizationId: 'org-1' })).toThrow(
      'Rollout: organizationId must be an AWS Organizations id ("o-" then 10 to 32 lowercase letters or digits), got "org-1". Copy it from `aws organizations describe-organization --query Organization.Id`.');
  });
});
