import { App, DockerImageAssetSource, FileAssetPackaging, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct } from 'constructs';
import { FLEET_TAGS, ServiceStack } from '../src';
import { buildFixtureService } from './fixtures/service';

const ACCOUNT_DEFAULT_BUS_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']],
};
const FAILURE_BUS_ARN = { 'Fn::If': ['FailureBusIsAccountDefault', ACCOUNT_DEFAULT_BUS_ARN, { Ref: 'FailureBusArn' }] };

describe('ServiceStack', () => {
  // GIVEN a complete service (every construct of the library), synthesized once
  const service = buildFixtureService();
  const template = Template.fromStack(service.stack);
  const artifact = service.app.synth().getStackByName(service.stack.stackName);
  const json = template.toJSON();

  test('is StackSet-ready: no BootstrapVersion parameter, no Rules, no transform', () => {
    // THEN
    expect(Object.keys(json.Parameters)).toEqual(['FailureBusArn', 'FailureDeadLetterQueueArn']);
    expect(json.Rules).toBeUndefined();
    expect(json.Transform).toBeUndefined();
    expect(artifact.environment).toEqual({ account: 'unknown-account', region: 'unknown-region', name: 'aws://unknown-account/unknown-region' });
  });

  test('FailureDeadLetterQueueArn takes the central tenant dead-letter queue only, or nothing', () => {
    const pattern = new RegExp(json.Parameters.FailureDeadLetterQueueArn.AllowedPattern);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('arn:aws:sqs:eu-west-1:999988887777:fleet-failures-tenant-dead-letters')).toBe(true);
    // The central DLQ itself refuses tenant rules: EventBridge would drop the dead letters silently.
    expect(pattern.test('arn:aws:sqs:eu-west-1:999988887777:Central-FailuresFailureQueue0992B479-abc')).toBe(false);
  });

  test('file assets come from the central regional bucket, with no bootstrap role', () => {
    // THEN
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.Code.S3Bucket).toEqual({ 'Fn::Sub': 'fleet-assets-${AWS::Region}' });
    }
    expect(artifact.assumeRoleArn).toBeUndefined();
    expect(artifact.cloudFormationExecutionRoleArn).toBeUndefined();
  });

  test('FailureBusArn parameter falls back to the account default bus', () => {
    // THEN
    template.templateMatches({
      Parameters: { FailureBusArn: { Type: 'String', Default: '' } },
      Conditions: { FailureBusIsAccountDefault: { 'Fn::Equals': [{ Ref: 'FailureBusArn' }, ''] } },
    });
    expect(service.stack.resolve(service.stack.failureBus.eventBusArn)).toEqual(FAILURE_BUS_ARN);
    expect(json.Outputs.FailureBusArnInUse.Value).toEqual(FAILURE_BUS_ARN);
  });

  test('tags every taggable resource with tenant (account id token), service and blueprint version', () => {
    // THEN
    const taggable = Object.entries(json.Resources as Record<string, any>)
      .filter(([, resource]) => ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::Logs::LogGroup', 'AWS::DynamoDB::Table',
        'AWS::StepFunctions::StateMachine', 'AWS::Events::Rule'].includes(resource.Type));
    expect(taggable.length).toBeGreaterThanOrEqual(12);
    for (const [, resource] of taggable) {
      expect(resource.Properties.Tags).toEqual([
        { Key: FLEET_TAGS.BLUEPRINT_VERSION, Value: '1.4.0' },
        { Key: FLEET_TAGS.SERVICE, Value: 'order-intake' },
        { Key: FLEET_TAGS.TENANT, Value: { Ref: 'AWS::AccountId' } },
      ]);
    }
  });

  test('a token tag value does not break stack-level tags', () => {
    // THEN the literal tags stay stack tags, the token tag is left out, and CDK warns about nothing
    expect(artifact.tags).toEqual({ [FLEET_TAGS.SERVICE]: 'order-intake', [FLEET_TAGS.BLUEPRINT_VERSION]: '1.4.0' });
    const warnings = Object.values(artifact.manifest.metadata ?? {}).flat()
      .filter((entry) => entry.type === cxschema.ArtifactMetadataEntryType.WARN);
    expect(warnings).toEqual([]);
  });

  test('no SQS queue and no event source mapping anywhere', () => {
    // THEN
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  });

  test('describes itself and exposes its options', () => {
    // THEN
    expect(json.Description).toBe('Fleet service order-intake (blueprint 1.4.0)');
    expect(ServiceStack.of(service.hello)).toBe(service.stack);
    expect(service.stack.serviceName).toBe('order-intake');
  });
});

describe('ServiceStack options', () => {
  test('assetBucketName selects the asset bucket', () => {
    // GIVEN
    const app = new App();
    const stack = new ServiceStack(app, 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0', assetBucketName: 'acme-assets-${AWS::Region}' });
    // WHEN
    const location = stack.synthesizer.addFileAsset({ sourceHash: 'abc', fileName: __filename, packaging: FileAssetPackaging.FILE });
    // THEN
    expect(stack.resolve(location.bucketName)).toEqual({ 'Fn::Sub': 'acme-assets-${AWS::Region}' });
  });

  test.each([
    ['OrderIntake'],
    ['order_intake'],
    ['order--intake'],
    ['-order'],
    ['1order'],
  ])('rejects serviceName %j', (serviceName) => {
    // GIVEN
    const app = new App();
    // WHEN / THEN
    expect(() => new ServiceStack(app, 'Svc', { serviceName, blueprintVersion: '1.0.0' })).toThrow(
      `Svc: serviceName must be kebab-case, got ${JSON.stringify(serviceName)}. `
      + 'Use lowercase letters and digits separated by single hyphens, starting with a letter (for example "order-intake").');
  });

  test('rejects a hard-coded environment', () => {
    // GIVEN
    const app = new App();
    // WHEN / THEN
    expect(() => new ServiceStack(app, 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0', env: { account: '111111111111' } })).toThrow(
      'Svc: env must not be set on a ServiceStack, got {"account":"111111111111"}. '
      + 'Remove env: a StackSet deploys the same template into every tenant account and region.');
  });

  test('rejects Docker image assets', () => {
    // GIVEN
    const app = new App();
    const stack = new ServiceStack(app, 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    const asset: DockerImageAssetSource = { sourceHash: 'abc123', directoryName: __dirname };
    // WHEN / THEN
    expect(() => stack.synthesizer.addDockerImageAsset(asset)).toThrow(
      'Svc: Docker image asset is not supported in a fleet service stack, got "abc123". '
      + 'Bundle the code as a file asset (HandlerBundle) instead: StackSet target accounts have no ECR repository and this machine has no Docker.');
  });

  test('rejects transforms at synth', () => {
    // GIVEN
    const app = new App();
    const stack = new ServiceStack(app, 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    // WHEN
    stack.addTransform('AWS::Serverless-2016-10-31');
    // THEN
    expect(() => app.synth()).toThrow(
      'Svc: templateOptions.transforms must be empty in a fleet service stack, got ["AWS::Serverless-2016-10-31"]. '
      + 'Remove the transform: StackSets cannot deploy templates that use transforms or macros.');
  });

  test('ServiceStack.of fails outside a ServiceStack', () => {
    // GIVEN
    const app = new App();
    const plain = new Construct(new Stack(app, 'Plain'), 'Thing');
    // WHEN / THEN
    expect(() => ServiceStack.of(plain)).toThrow(
      'Plain/Thing: scope is not inside a ServiceStack, got "Plain". '
      + 'Create fleet constructs inside a ServiceStack (new ServiceStack(app, id, { serviceName, blueprintVersion })).');
  });
});
