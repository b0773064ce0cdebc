import { App, Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FLEET_RULES, FLEET_TAGS, FleetGuardrailsChecks, ServiceStack, addFleetChecks } from '../../src';
import { buildFixtureService } from '../fixtures/service';

/**
 * Builds a plain (tagged) Stack with `build`, synthesizes it so the tag aspects run, then runs the
 * pack directly: `<ruleName> <construct path>` for every finding.
 */
function findings(build: (stack: Stack) => void): string[] {
  // The fixtures use made-up ids (vpc-1, ami-1): aws-cdk-lib's template validation would print
  // warnings about them; this pack is what is under test.
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Test');
  Tags.of(stack).add(FLEET_TAGS.TENANT, '123456789012');
  Tags.of(stack).add(FLEET_TAGS.SERVICE, 'test');
  build(stack);
  app.synth();
  return new FleetGuardrailsChecks().validateScope(stack).violations
    .flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`));
}

function ruleIds(build: (stack: Stack) => void): string[] {
  return [...new Set(findings(build).map((finding) => finding.split(' ')[0]))].sort();
}

const inlineCode = lambda.Code.fromInline('exports.handler = async () => {};');
function fn(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: inlineCode, ...props });
}
function safeFn(stack: Stack, id: string): lambda.Function {
  const bus = events.EventBus.fromEventBusArn(stack, `${id}Bus`, 'arn:aws:events:eu-west-1:123456789012:event-bus/default');
  return fn(stack, id, { retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new destinations.EventBridgeDestination(bus) });
}
const vpcSubnet = { subnetId: 'subnet-1', vpcId: 'vpc-1' };

interface RuleCase {
  readonly rule: string;
  /** What makes the rule fire. */
  readonly fires: [string, (stack: Stack) => void][];
  /** The compliant way, which keeps it quiet. */
  readonly quiet: [string, (stack: Stack) => void][];
}

const CASES: RuleCase[] = [
  {
    rule: 'Fleet-IdleCost1',
    fires: [
      ['an SQS event source mapping', (s) => new lambda.CfnEventSourceMapping(s, 'Poller', { functionName: 'f', eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:q' })],
      ['a DynamoDB stream event source mapping', (s) => new lambda.CfnEventSourceMapping(s, 'Poller', { functionName: 'f', eventSourceArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/x', startingPosition: 'LATEST' })],
      ['an EventBridge pipe', (s) => new pipes.CfnPipe(s, 'Pipe', { roleArn: 'arn:aws:iam::123456789012:role/r', source: 'arn:aws:sqs:eu-west-1:123456789012:q', target: 'arn:aws:lambda:eu-west-1:123456789012:function:f' })],
    ],
    quiet: [['an EventBridge rule with an event pattern', (s) => new events.CfnRule(s, 'Route', { eventPattern: { source: ['tenant.orders'] } })]],
  },
  {
    rule: 'Fleet-IdleCost2',
    fires: [
      ['an alias with provisioned concurrency', (s) => new lambda.CfnAlias(s, 'Live', { functionName: 'f', functionVersion: '1', name: 'live', provisionedConcurrencyConfig: { provisionedConcurrentExecutions: 1 } })],
      ['a version with provisioned concurrency', (s) => new lambda.CfnVersion(s, 'V1', { functionName: 'f', provisionedConcurrencyConfig: { provisionedConcurrentExecutions: 1 } })],
    ],
    quiet: [['an alias without provisioned concurrency', (s) => new lambda.CfnAlias(s, 'Live', { functionName: 'f', functionVersion: '1', name: 'live' })]],
  },
  {
    rule: 'Fleet-IdleCost3',
    fires: [
      ['a NAT gateway', (s) => new ec2.CfnNatGateway(s, 'Nat', { subnetId: 'subnet-1' })],
      ['an interface VPC endpoint', (s) => new ec2.CfnVPCEndpoint(s, 'Endpoint', { vpcId: 'vpc-1', serviceName: 'com.amazonaws.eu-west-1.sqs', vpcEndpointType: 'Interface' })],
      ['an Elastic IP', (s) => new ec2.CfnEIP(s, 'Ip')],
    ],
    quiet: [['a gateway VPC endpoint (the CloudFormation default type)', (s) => new ec2.CfnVPCEndpoint(s, 'Endpoint', { vpcId: 'vpc-1', serviceName: 'com.amazonaws.eu-west-1.dynamodb' })]],
  },
  {
    rule: 'Fleet-IdleCost4',
    fires: [
      ['a provisioned RDS instance', (s) => new rds.CfnDBInstance(s, 'Db', { dbInstanceClass: 'db.t4g.micro', engine: 'postgres', allocatedStorage: '20' })],
      ['an Aurora cluster that does not scale to zero', (s) => new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-postgresql', serverlessV2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 2 } })],
      ['a DynamoDB table in the default (PROVISIONED) billing mode', (s) => new dynamodb.CfnTable(s, 'Table', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }], provisionedThroughput: { readCapacityUnits: 1, writeCapacityUnits: 1 } })],
      ['an OpenSearch domain', (s) => new (require('aws-cdk-lib/aws-opensearchservice').CfnDomain)(s, 'Search', {})],
      ['an ElastiCache cluster', (s) => new (require('aws-cdk-lib/aws-elasticache').CfnCacheCluster)(s, 'Cache', { cacheNodeType: 'cache.t4g.micro', engine: 'redis', numCacheNodes: 1 })],
    ],
    quiet: [
      ['an on-demand DynamoDB table', (s) => new dynamodb.Table(s, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, billingMode: dynamodb.BillingMode.PAY_PER_REQUEST })],
      ['Aurora Serverless v2 scaling to 0 ACUs', (s) => {
        const cluster = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-postgresql', serverlessV2ScalingConfiguration: { minCapacity: 0, maxCapacity: 2 } });
        new rds.CfnDBInstance(s, 'Writer', { dbInstanceClass: 'db.serverless', engine: 'aurora-postgresql', dbClusterIdentifier: cluster.ref });
      }],
    ],
  },
  {
    rule: 'Fleet-IdleCost5',
    fires: [
      ['a provisioned Kinesis stream', (s) => new kinesis.Stream(s, 'Stream', { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: 1 })],
      ['an on-demand Kinesis stream (billed per stream-hour)', (s) => new kinesis.Stream(s, 'Stream', { streamMode: kinesis.StreamMode.ON_DEMAND })],
    ],
    quiet: [['a DynamoDB stream (billed per read request only)', (s) => new dynamodb.Table(s, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, billingMode: dynamodb.BillingMode.PAY_PER_REQUEST, stream: dynamodb.StreamViewType.NEW_IMAGE })]],
  },
  {
    rule: 'Fleet-IdleCost6',
    fires: [
      ['an ECS service', (s) => new ecs.CfnService(s, 'Service', { taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/t:1', desiredCount: 1 })],
      ['an EKS cluster', (s) => new eks.CfnCluster(s, 'Cluster', { roleArn: 'arn:aws:iam::123456789012:role/eks', resourcesVpcConfig: { subnetIds: ['subnet-1'] } })],
      ['an EC2 instance', (s) => new ec2.CfnInstance(s, 'Instance', { imageId: 'ami-1', instanceType: 't4g.nano', subnetId: vpcSubnet.subnetId })],
    ],
    quiet: [['an ECS cluster without services (free)', (s) => new ecs.CfnCluster(s, 'Cluster')]],
  },
  {
    rule: 'Fleet-IdleCost7',
    fires: [['a customer managed KMS key', (s) => new kms.Key(s, 'Key')]],
    quiet: [['an SSM parameter', (s) => new ssm.StringParameter(s, 'Param', { stringValue: 'x' })]],
  },
  {
    rule: 'Fleet-Async1',
    fires: [
      ['a function without an async config', (s) => fn(s, 'Fn')],
      ['a function whose async config leaves the maximum event age out', (s) => fn(s, 'Fn', { retryAttempts: 0 })],
    ],
    quiet: [['a function with retries, maximum event age and on-failure destination', (s) => safeFn(s, 'Fn')]],
  },
  {
    rule: 'Fleet-Async2',
    fires: [['a function with an async config but no on-failure destination', (s) => fn(s, 'Fn', { retryAttempts: 2, maxEventAge: Duration.hours(1) })]],
    quiet: [['a function sending failures to an EventBridge bus', (s) => safeFn(s, 'Fn')]],
  },
  {
    rule: 'Fleet-Schedule1',
    fires: [
      ['a rate() rule', (s) => new events.Rule(s, 'Every5', { schedule: events.Schedule.rate(Duration.minutes(5)) })],
      ['a cron() rule', (s) => new events.Rule(s, 'Nightly', { schedule: events.Schedule.cron({ minute: '0', hour: '2' }) })],
      ['a schedule added with a raw override', (s) => (new events.Rule(s, 'Route', { eventPattern: { source: ['x'] } }).node.defaultChild as events.CfnRule).addPropertyOverride('ScheduleExpression', 'rate(5 minutes)')],
    ],
    quiet: [['an event pattern rule', (s) => new events.Rule(s, 'Route', { eventPattern: { source: ['tenant.orders'] } })]],
  },
  {
    rule: 'Fleet-Schedule2',
    fires: [
      ['a schedule with FlexibleTimeWindow OFF', (s) => new scheduler.CfnSchedule(s, 'Schedule', { scheduleExpression: 'rate(5 minutes)', flexibleTimeWindow: { mode: 'OFF' }, target: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f', roleArn: 'arn:aws:iam::123456789012:role/r' } })],
    ],
    quiet: [['a schedule with a flexible window', (s) => new scheduler.CfnSchedule(s, 'Schedule', { scheduleExpression: 'rate(5 minutes)', flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 }, target: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f', roleArn: 'arn:aws:iam::123456789012:role/r' } })]],
  },
  {
    rule: 'Fleet-Tags1',
    fires: [
      ['a topic without the tenant tag', (s) => Tags.of(new sns.Topic(s, 'Topic')).remove(FLEET_TAGS.TENANT)],
      ['a topic without the service tag', (s) => Tags.of(new sns.Topic(s, 'Topic')).remove(FLEET_TAGS.SERVICE)],
    ],
    quiet: [['a tagged topic', (s) => new sns.Topic(s, 'Topic')]],
  },
];

describe('FleetGuardrailsChecks', () => {
  test('every rule has a firing and a quiet case', () => {
    expect(CASES.map((c) => c.rule).sort()).toEqual(FLEET_RULES.map((rule) => `Fleet-${rule.id}`).sort());
  });

  describe.each(CASES)('$rule', ({ rule, fires, quiet }) => {
    test.each(fires)('fires on %s', (_name, build) => {
      // WHEN / THEN
      expect(ruleIds(build)).toContain(rule);
    });
    test.each(quiet)('stays quiet on %s', (_name, build) => {
      // WHEN / THEN
      expect(ruleIds(build)).not.toContain(rule);
    });
  });

  test('names the resource, says what is wrong and how to fix it', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Test');
    new events.Rule(stack, 'Every5', { schedule: events.Schedule.rate(Duration.minutes(5)) });
    // WHEN
    const report = new FleetGuardrailsChecks().validateScope(stack);
    // THEN
    const violation = report.violations.find((v) => v.ruleName === 'Fleet-Schedule1');
    expect(violation).toEqual({
      ruleName: 'Fleet-Schedule1',
      description: 'An EventBridge rule with a ScheduleExpression fires at the same moment in every tenant account. Use JitteredSchedule (EventBridge Scheduler with a flexible time window and a per-account offset).',
      severity: 'error',
      violatingResources: [{ constructPath: 'Test/Every5/Resource', locations: ['Properties'] }],
    });
  });

  test('an acknowledged finding is not reported', () => {
    // GIVEN
    const build = (s: Stack) => Validations.of(new kms.Key(s, 'Key')).acknowledge({ id: 'Fleet-IdleCost7', reason: 'test' });
    // WHEN / THEN
    expect(ruleIds(build)).not.toContain('Fleet-IdleCost7');
  });
});

describe('the packs run at synthesis of every ServiceStack', () => {
  test('a guardrail finding fails Template.fromStack with the rule id and the construct path', () => {
    // GIVEN
    const app = new App();
    const stack = new ServiceStack(app, 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    new lambda.CfnEventSourceMapping(stack, 'Poller', { functionName: 'f', eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:q' });
    // WHEN / THEN
    expect(() => Template.fromStack(stack)).toThrow(/Svc\/Poller[\s\S]*Acknowledge with 'Fleet::Fleet-IdleCost1'/);
  });

  test('registers the packs once per App, however many ServiceStacks it holds', () => {
    // GIVEN (empty stacks: aws-cdk-lib's template validation would warn that they have no resources)
    const app = new App({ builtinCloudFormationValidation: false });
    new ServiceStack(app, 'One', { serviceName: 'one', blueprintVersion: '1.0.0' });
    new ServiceStack(app, 'Two', { serviceName: 'two', blueprintVersion: '1.0.0' });
    // WHEN / THEN: already registered by the stacks
    expect(addFleetChecks(app)).toBe(false);
    expect(() => app.synth()).not.toThrow();
  });

  test('the fixture service (every construct of the library) has no finding of either pack left', () => {
    // GIVEN
    const service = buildFixtureService();
    // WHEN: synthesis runs both packs and would throw on a finding
    expect(() => service.app.synth()).not.toThrow();
    // THEN: running the packs directly reports nothing that is not acknowledged with a reason
    expect(new FleetGuardrailsChecks().validateScope(service.app).violations).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(service.app).violations).toEqual([]);
  });
});
