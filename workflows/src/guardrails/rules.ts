import { alwaysIdleCostTypes, idleCostOf } from '@fleet/contracts';
import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { FLEET_TAGS } from '../private/fleet-tags';

/**
 * One guardrail: a rule id suffix (the pack adds `Fleet-`), what it reports, why it exists
 * (with the source), and the check.
 */
export interface FleetRule {
  /** Suffix of the rule id: `IdleCost1` becomes `Fleet-IdleCost1`. */
  readonly id: string;
  /** What is wrong, and how to fix it (the message users see). */
  readonly info: string;
  /** Why the rule exists (shown with `verbose: true`). */
  readonly explanation: string;
  /** The check of one CloudFormation resource. */
  readonly check: (node: CfnResource) => NagRuleResult;
}

/**
 * The resource as CloudFormation will see it: `Type` and resolved `Properties`, including raw
 * property overrides and the tags rendered by `Tags.of(...)`. `_toCloudFormation()` is what CDK
 * itself renders the template with, so an override cannot hide a violation from the pack.
 */
function rendered(node: CfnResource): { type: string; properties: Record<string, any> } {
  const template = Stack.of(node).resolve((node as any)._toCloudFormation());
  const resource: any = Object.values(template.Resources ?? {})[0] ?? {};
  return { type: node.cfnResourceType, properties: resource.Properties ?? {} };
}

/** NON_COMPLIANT when `node` is one of `types`. */
function forbidTypes(types: readonly string[], node: CfnResource): NagRuleResult {
  return types.includes(node.cfnResourceType) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}

// ---------------------------------------------------------------------------------------------
// Idle cost: each of these is billed per hour (or month) whether or not a tenant uses it, and
// the stack is deployed into every tenant account (thousands). aws-facts.md: "SQS between
// EventBridge and Lambda was removed: Lambda polls empty queues continuously". The types are
// listed once, in @fleet/contracts (IDLE_COST_TYPES), which `fleet cost` prices from too.
// ---------------------------------------------------------------------------------------------

const IDLE_COST_POLLERS: FleetRule = {
  id: 'IdleCost1',
  info: 'A poller (Lambda event source mapping or EventBridge Pipe on SQS, Kinesis, DynamoDB Streams, Kafka, MQ or DocumentDB) costs money while the tenant is idle. Route events with an EventRoute (EventBridge invokes the target directly) instead.',
  explanation: 'Pollers call the source continuously (SQS ReceiveMessage requests are billed even when the queue is empty), in every tenant account. Events reach Lambda or Step Functions from EventBridge without a queue: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html',
  check: (node) => forbidTypes(alwaysIdleCostTypes('IdleCost1'), node),
};

const IDLE_COST_PROVISIONED_CONCURRENCY: FleetRule = {
  id: 'IdleCost2',
  info: 'Provisioned concurrency is billed per hour whether or not the function runs. Remove ProvisionedConcurrencyConfig from the alias or version.',
  explanation: 'Provisioned concurrency keeps execution environments initialized and is charged for the time it is configured: https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html',
  check: (node) => {
    if (idleCostOf(node.cfnResourceType)?.rule !== 'IdleCost2') return NagRuleCompliance.NOT_APPLICABLE;
    const config = rendered(node).properties.ProvisionedConcurrencyConfig;
    return config === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

const IDLE_COST_NETWORK: FleetRule = {
  id: 'IdleCost3',
  info: 'A NAT gateway, Elastic IP, transit gateway attachment, Client VPN endpoint, load balancer or interface VPC endpoint is billed per hour while idle. Keep the functions out of a VPC, or use a gateway endpoint (S3, DynamoDB), which is free.',
  explanation: 'NAT gateways and interface endpoints are charged per hour and per Availability Zone; public IPv4 addresses per hour: https://aws.amazon.com/vpc/pricing/. Load balancers per hour: https://aws.amazon.com/elasticloadbalancing/pricing/',
  check: (node) => {
    if (node.cfnResourceType === 'AWS::EC2::VPCEndpoint') {
      // VpcEndpointType defaults to Gateway (free) in CloudFormation.
      const type = rendered(node).properties.VpcEndpointType ?? 'Gateway';
      return type === 'Gateway' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    return forbidTypes(alwaysIdleCostTypes('IdleCost3'), node);
  },
};

const IDLE_COST_DATABASES: FleetRule = {
  id: 'IdleCost4',
  info: 'An always-on database (RDS or Aurora provisioned, DocumentDB, Neptune, ElastiCache, MemoryDB, DAX, OpenSearch, Redshift, or a DynamoDB table in PROVISIONED mode) is billed per hour while idle. Use a ServiceTable (DynamoDB on demand), or Aurora Serverless v2 with MinCapacity 0.',
  explanation: 'Instances, nodes and provisioned capacity are charged per hour whether or not they serve requests. DynamoDB on-demand charges per request; CloudFormation defaults BillingMode to PROVISIONED: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html. Aurora Serverless v2 pauses at 0 ACUs: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html',
  check: (node) => {
    const { type, properties } = rendered(node);
    switch (type) {
      case 'AWS::DynamoDB::Table':
        return properties.BillingMode === 'PAY_PER_REQUEST' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
      case 'AWS::DynamoDB::GlobalTable':
        return properties.BillingMode === 'PAY_PER_REQUEST' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
      case 'AWS::RDS::DBCluster':
        // Aurora Serverless v2 scaling to zero is the only relational option with no idle compute.
        return properties.ServerlessV2ScalingConfiguration?.MinCapacity === 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
      case 'AWS::RDS::DBInstance':
        // A db.serverless instance bills as its cluster's ACUs (checked on the cluster).
        return properties.DBInstanceClass === 'db.serverless' && properties.DBClusterIdentifier !== undefined
          ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
      default:
        return forbidTypes(alwaysIdleCostTypes('IdleCost4'), node);
    }
  },
};

const IDLE_COST_STREAMS: FleetRule = {
  id: 'IdleCost5',
  info: 'A stream or broker (Kinesis data stream, MSK cluster, Amazon MQ broker) is billed per hour while idle. Send events through EventBridge, or keep the stream in a central account.',
  explanation: 'Provisioned Kinesis streams are charged per shard-hour and on-demand (Standard) streams per stream-hour: https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html. MSK and Amazon MQ are charged per broker or cluster hour.',
  check: (node) => forbidTypes(alwaysIdleCostTypes('IdleCost5'), node),
};

const IDLE_COST_COMPUTE: FleetRule = {
  id: 'IdleCost6',
  info: 'Always-on compute (ECS service, EKS cluster, EC2 instance, Auto Scaling group, App Runner service, SageMaker endpoint, Elastic Beanstalk environment) is billed per hour while idle. Use a TenantFunction orchestrated by the ServiceWorkflow.',
  explanation: 'Running tasks, instances and the EKS control plane are charged per hour; Lambda and Step Functions Standard charge per use only: https://aws.amazon.com/eks/pricing/',
  check: (node) => forbidTypes(alwaysIdleCostTypes('IdleCost6'), node),
};

const IDLE_COST_MONTHLY_FEE: FleetRule = {
  id: 'IdleCost7',
  info: 'A KMS customer managed key (or replica key), Secrets Manager secret, Route 53 hosted zone or CloudWatch dashboard has a monthly fee in every tenant account. Use AWS owned or AWS managed keys, SSM parameters, and one central dashboard.',
  explanation: 'Each customer managed KMS key costs $1 per month, each secret $0.40, each hosted zone $0.50, each dashboard beyond the free three $3: https://aws.amazon.com/kms/pricing/',
  check: (node) => forbidTypes(alwaysIdleCostTypes('IdleCost7'), node),
};

// ---------------------------------------------------------------------------------------------
// Asynchronous invocation: EventBridge and Scheduler invoke Lambda asynchronously. Without an
// explicit config Lambda keeps an event for 6 hours and retries twice, then drops it silently.
// ---------------------------------------------------------------------------------------------

/** The `AWS::Lambda::EventInvokeConfig` resources of the stack that configure `fn`. */
function invokeConfigsOf(fn: CfnResource): Record<string, any>[] {
  const stack = Stack.of(fn);
  const logicalId = stack.resolve(fn.logicalId);
  const name = rendered(fn).properties.FunctionName;
  const names = [JSON.stringify({ Ref: logicalId }), JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] }), ...(name === undefined ? [] : [JSON.stringify(name)])];
  return stack.node.findAll()
    .filter((c: IConstruct): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::EventInvokeConfig')
    .map((c) => rendered(c).properties)
    .filter((properties) => names.includes(JSON.stringify(properties.FunctionName)));
}

const ASYNC_CONFIG: FleetRule = {
  id: 'Async1',
  info: 'The Lambda function has no explicit asynchronous invocation config (AWS::Lambda::EventInvokeConfig with MaximumRetryAttempts and MaximumEventAgeInSeconds). Create it with TenantFunction, or set retryAttempts and maxEventAge on the function.',
  explanation: 'EventBridge and EventBridge Scheduler invoke Lambda asynchronously; the defaults (2 retries, 6 hours) keep a failing event in the tenant account for hours. PutFunctionEventInvokeConfig replaces the whole config, so every field is set explicitly: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configure.html',
  check: (node) => {
    if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
    const complete = invokeConfigsOf(node).some((config) => config.MaximumRetryAttempts !== undefined && config.MaximumEventAgeInSeconds !== undefined);
    return complete ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

const ON_FAILURE_DESTINATION: FleetRule = {
  id: 'Async2',
  info: 'The Lambda function has no on-failure destination, so a failed asynchronous event is dropped without a trace. Create it with TenantFunction (failureBus: stack.failureBus), or set onFailure to an EventBridgeDestination of the failure bus.',
  explanation: 'Failed asynchronous events must reach the central failure path, where the account id of the event envelope is the tenant: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
  check: (node) => {
    if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
    const routed = invokeConfigsOf(node).some((config) => config.DestinationConfig?.OnFailure?.Destination !== undefined);
    return routed ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

// ---------------------------------------------------------------------------------------------
// Schedules: the same rate(5 minutes) in thousands of accounts fires at the same second
// everywhere (aws-facts.md, "Self-DDoS"). Only jittered EventBridge Scheduler schedules pass.
// ---------------------------------------------------------------------------------------------

const NO_SCHEDULED_RULES: FleetRule = {
  id: 'Schedule1',
  info: 'An EventBridge rule with a ScheduleExpression fires at the same moment in every tenant account. Use JitteredSchedule (EventBridge Scheduler with a flexible time window and a per-account offset).',
  explanation: 'Scheduled rules have no jitter; EventBridge calls them legacy and recommends EventBridge Scheduler, whose FlexibleTimeWindow spreads invocations: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html',
  check: (node) => {
    if (node.cfnResourceType !== 'AWS::Events::Rule') return NagRuleCompliance.NOT_APPLICABLE;
    return rendered(node).properties.ScheduleExpression === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

const FLEXIBLE_SCHEDULES: FleetRule = {
  id: 'Schedule2',
  info: 'The EventBridge Scheduler schedule has FlexibleTimeWindow Mode OFF, so it fires at the same minute in every tenant account. Use JitteredSchedule, or set FlexibleTimeWindow { Mode: FLEXIBLE, MaximumWindowInMinutes }.',
  explanation: 'A flexible time window lets Scheduler invoke the target anywhere in the window, dispersing invocations: https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html',
  check: (node) => {
    if (node.cfnResourceType !== 'AWS::Scheduler::Schedule') return NagRuleCompliance.NOT_APPLICABLE;
    const window = rendered(node).properties.FlexibleTimeWindow ?? {};
    return window.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes !== undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

// ---------------------------------------------------------------------------------------------
// Cost attribution: the monthly bill of each tenant account is split by these tags.
// ---------------------------------------------------------------------------------------------

const TENANT_AND_SERVICE_TAGS: FleetRule = {
  id: 'Tags1',
  info: `The taggable resource lacks the ${FLEET_TAGS.TENANT} or ${FLEET_TAGS.SERVICE} tag. Create it inside a ServiceStack (which tags every resource), or add both tags.`,
  explanation: 'Cost allocation tags attribute the bill of each tenant account to tenants and services: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html',
  check: (node) => {
    const tags = TagManager.of(node);
    if (tags === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const values = tags.tagValues();
    return FLEET_TAGS.TENANT in values && FLEET_TAGS.SERVICE in values ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

/** Every guardrail, in the order they are reported. */
export const FLEET_RULES: readonly FleetRule[] = [
  IDLE_COST_POLLERS,
  IDLE_COST_PROVISIONED_CONCURRENCY,
  IDLE_COST_NETWORK,
  IDLE_COST_DATABASES,
  IDLE_COST_STREAMS,
  IDLE_COST_COMPUTE,
  IDLE_COST_MONTHLY_FEE,
  ASYNC_CONFIG,
  ON_FAILURE_DESTINATION,
  NO_SCHEDULED_RULES,
  FLEXIBLE_SCHEDULES,
  TENANT_AND_SERVICE_TAGS,
];
