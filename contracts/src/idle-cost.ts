/**
 * The resource types that cost money while a tenant is idle: billed per hour or per month
 * whether or not anything runs, in each of thousands of tenant accounts. One list for the
 * guardrails (`FleetGuardrailsChecks` refuses them in tenant stacks, one rule per group) and
 * for `fleet cost` (prices the ones it knows, names the others as costing while idle).
 */

/** The guardrail rule (`Fleet-<id>`) that refuses a group of idle-cost types. */
export type IdleCostRule = 'IdleCost1' | 'IdleCost2' | 'IdleCost3' | 'IdleCost4' | 'IdleCost5' | 'IdleCost6' | 'IdleCost7';

/** One resource type that costs while idle, always or in some configurations. */
export interface IdleCostType {
  /** What is billed while nothing runs. */
  readonly billed: string;
  /**
   * The guardrail rule that refuses it in a tenant stack. Absent: the fleet allows it on purpose
   * (an alarm of the tenant baseline) and `fleet cost` prices it.
   */
  readonly rule?: IdleCostRule;
  /** Set when only this configuration costs while idle (the rule checks the resource's properties). */
  readonly when?: string;
}

export const IDLE_COST_TYPES = {
  // IdleCost1: pollers. Lambda polls the source continuously (SQS ReceiveMessage is billed even
  // on an empty queue): https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
  'AWS::Lambda::EventSourceMapping': { billed: 'polling requests on the source (and the poller itself for Kafka and provisioned mode)', rule: 'IdleCost1' },
  'AWS::Pipes::Pipe': { billed: 'polling requests on the source', rule: 'IdleCost1' },
  // IdleCost2: provisioned concurrency is charged for the time it is configured.
  'AWS::Lambda::Alias': { billed: 'provisioned concurrency hours', rule: 'IdleCost2', when: 'with ProvisionedConcurrencyConfig' },
  'AWS::Lambda::Version': { billed: 'provisioned concurrency hours', rule: 'IdleCost2', when: 'with ProvisionedConcurrencyConfig' },
  // IdleCost3: network resources charged per hour: https://aws.amazon.com/vpc/pricing/
  'AWS::EC2::NatGateway': { billed: 'NAT gateway hours', rule: 'IdleCost3' },
  'AWS::EC2::EIP': { billed: 'public IPv4 address hours', rule: 'IdleCost3' },
  'AWS::EC2::TransitGatewayAttachment': { billed: 'attachment hours', rule: 'IdleCost3' },
  'AWS::EC2::TransitGatewayVpcAttachment': { billed: 'attachment hours', rule: 'IdleCost3' },
  'AWS::EC2::ClientVpnEndpoint': { billed: 'subnet association hours', rule: 'IdleCost3' },
  'AWS::EC2::VPCEndpoint': { billed: 'interface endpoint hours per AZ', rule: 'IdleCost3', when: 'VpcEndpointType other than Gateway' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { billed: 'load balancer hours', rule: 'IdleCost3' },
  // IdleCost4: always-on databases (instances, nodes, provisioned capacity).
  'AWS::DynamoDB::Table': { billed: 'provisioned read and write capacity hours', rule: 'IdleCost4', when: 'BillingMode other than PAY_PER_REQUEST (CloudFormation defaults to PROVISIONED)' },
  'AWS::DynamoDB::GlobalTable': { billed: 'provisioned read and write capacity hours', rule: 'IdleCost4', when: 'BillingMode other than PAY_PER_REQUEST' },
  'AWS::RDS::DBCluster': { billed: 'database cluster hours/capacity', rule: 'IdleCost4', when: 'unless Aurora Serverless v2 with MinCapacity 0' },
  'AWS::RDS::DBInstance': { billed: 'database instance hours', rule: 'IdleCost4', when: 'unless a db.serverless instance of a cluster' },
  'AWS::DocDB::DBCluster': { billed: 'database cluster hours', rule: 'IdleCost4' },
  'AWS::DocDB::DBInstance': { billed: 'database instance hours', rule: 'IdleCost4' },
  'AWS::DocDBElastic::Cluster': { billed: 'shard vCPU hours', rule: 'IdleCost4' },
  'AWS::Neptune::DBCluster': { billed: 'database cluster hours', rule: 'IdleCost4' },
  'AWS::Neptune::DBInstance': { billed: 'database instance hours', rule: 'IdleCost4' },
  'AWS::ElastiCache::CacheCluster': { billed: 'cache node hours', rule: 'IdleCost4' },
  'AWS::ElastiCache::ReplicationGroup': { billed: 'cache node hours', rule: 'IdleCost4' },
  'AWS::ElastiCache::ServerlessCache': { billed: 'minimum stored data', rule: 'IdleCost4' },
  'AWS::MemoryDB::Cluster': { billed: 'node hours', rule: 'IdleCost4' },
  'AWS::DAX::Cluster': { billed: 'node hours', rule: 'IdleCost4' },
  'AWS::OpenSearchService::Domain': { billed: 'instance hours', rule: 'IdleCost4' },
  'AWS::Elasticsearch::Domain': { billed: 'instance hours', rule: 'IdleCost4' },
  'AWS::OpenSearchServerless::Collection': { billed: 'minimum OCU hours', rule: 'IdleCost4' },
  'AWS::Redshift::Cluster': { billed: 'node hours', rule: 'IdleCost4' },
  // IdleCost5: streams and brokers.
  'AWS::Kinesis::Stream': { billed: 'shard hours / stream hours', rule: 'IdleCost5' },
  'AWS::MSK::Cluster': { billed: 'broker hours', rule: 'IdleCost5' },
  'AWS::MSK::ServerlessCluster': { billed: 'cluster hours', rule: 'IdleCost5' },
  'AWS::AmazonMQ::Broker': { billed: 'broker hours', rule: 'IdleCost5' },
  // IdleCost6: always-on compute.
  'AWS::ECS::Service': { billed: 'task hours', rule: 'IdleCost6' },
  'AWS::EKS::Cluster': { billed: 'cluster hours', rule: 'IdleCost6' },
  'AWS::EKS::Nodegroup': { billed: 'instance hours', rule: 'IdleCost6' },
  'AWS::EC2::Instance': { billed: 'instance hours', rule: 'IdleCost6' },
  'AWS::AutoScaling::AutoScalingGroup': { billed: 'instance hours', rule: 'IdleCost6' },
  'AWS::EC2::EC2Fleet': { billed: 'instance hours', rule: 'IdleCost6' },
  'AWS::EC2::SpotFleet': { billed: 'instance hours', rule: 'IdleCost6' },
  'AWS::AppRunner::Service': { billed: 'provisioned instance memory hours', rule: 'IdleCost6' },
  'AWS::SageMaker::Endpoint': { billed: 'instance hours (a serverless endpoint config bills per use)', rule: 'IdleCost6' },
  'AWS::ElasticBeanstalk::Environment': { billed: 'instance hours', rule: 'IdleCost6' },
  // IdleCost7: monthly fees per resource: https://aws.amazon.com/kms/pricing/
  'AWS::KMS::Key': { billed: '$1 per key-month', rule: 'IdleCost7' },
  'AWS::KMS::ReplicaKey': { billed: '$1 per key-month', rule: 'IdleCost7' },
  'AWS::SecretsManager::Secret': { billed: '$0.40 per secret-month', rule: 'IdleCost7' },
  'AWS::Route53::HostedZone': { billed: '$0.50 per hosted zone-month', rule: 'IdleCost7' },
  'AWS::CloudWatch::Dashboard': { billed: '$3 per dashboard-month beyond the free three', rule: 'IdleCost7' },
  // Allowed on purpose and priced by `fleet cost`: the tenant baseline's alarm (ARCHITECTURE.md).
  'AWS::CloudWatch::Alarm': { billed: 'per metric per month' },
  'AWS::CloudWatch::CompositeAlarm': { billed: 'per alarm per month' },
} as const satisfies Record<string, IdleCostType>;

/** A resource type of `IDLE_COST_TYPES`. */
export type IdleCostResourceType = keyof typeof IDLE_COST_TYPES;

/** The entry of `type`, if it costs while idle. */
export function idleCostOf(type: string): IdleCostType | undefined {
  return Object.prototype.hasOwnProperty.call(IDLE_COST_TYPES, type) ? (IDLE_COST_TYPES as Record<string, IdleCostType>)[type] : undefined;
}

/** The types a guardrail rule refuses whatever their properties (those without `when`). */
export function alwaysIdleCostTypes(rule: IdleCostRule): string[] {
  return Object.entries(IDLE_COST_TYPES as Record<string, IdleCostType>)
    .filter(([, entry]) => entry.rule === rule && entry.when === undefined)
    .map(([type]) => type);
}
