/**
 * Every price `fleet cost` uses, in one place. us-east-1 (US East, N. Virginia) list prices in
 * USD unless an entry says otherwise.
 *
 * Each entry: `value` USD for `per` units of `unit`, the page it was read on (`source`), the day
 * it was read (`read`), and `confirmed`: true when the figure itself appeared in the text read on
 * that page; false when the page was read but the figure was not in the part of it available here
 * (the rate tables of the AWS pricing pages are partly rendered client-side). Unconfirmed figures
 * are the long-standing us-east-1 list prices; check them before relying on them. Tests use the
 * values from this file, so a price change is a one-line edit here.
 *
 * FREE TIERS. The "always free" allowances (1M SQS requests, 10 standard alarm metrics,
 * 1M Lambda requests and 400,000 GB-s, 4,000 Step Functions state transitions, 14M Scheduler
 * invocations, 10 custom metrics, 3 dashboards) are per *billing* account. Tenant accounts are
 * member accounts of one AWS Organization with consolidated billing, and for billing AWS treats
 * all accounts of an organization as one account (source: CONSOLIDATED_BILLING below). So the
 * 6,000 tenants share one set of free allowances, which the rest of the platform already uses:
 * the marginal idle cost of a tenant is the full list price. That is the default
 * (`--free-tier none`). `--free-tier per-account` applies FREE_TIER to every tenant account
 * as if each were billed on its own, for comparison.
 *
 * MONTH. AWS prices hourly resources with 730 hours per month; this file does the same for
 * everything that runs continuously (pollers, hourly resources, schedules).
 */

export interface Price {
  /** USD for `per` units. */
  readonly value: number;
  readonly per: number;
  readonly unit: string;
  readonly region: string;
  readonly source: string;
  /** The day the source was read (YYYY-MM-DD). */
  readonly read: string;
  /** true: the figure was in the text read at `source`; false: long-standing list price, not seen in the excerpt read. */
  readonly confirmed: boolean;
  readonly note?: string;
}

const READ = '2026-11-27';
const US_EAST_1 = 'us-east-1';

const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const CLOUDWATCH_ALARMS_GUIDE = 'https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm';
const SQS = 'https://cloudburn.io/blog/amazon-sqs-pricing';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const LAMBDA_ARM = 'https://cloudchipr.com/blog/aws-lambda-pricing';
const STEP_FUNCTIONS = 'https://aws.amazon.com/step-functions/pricing/';
const EVENTBRIDGE = 'https://cloudburn.io/blog/amazon-eventbridge-pricing';
const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/';
const DYNAMODB_ON_DEMAND = 'https://aws.amazon.com/dynamodb/pricing/on-demand';
const DYNAMODB_PROVISIONED = 'https://aws.amazon.com/dynamodb/pricing/provisioned/';
const SECRETS_MANAGER = 'https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms';
const LOGS = 'https://hivebook.wiki/wiki/cloudwatch-logs-cost-never-expire-retention-and-cardinality-blowups';
const CUSTOM_METRICS = 'https://signoz.io/guides/cloudwatch-pricing';
const DASHBOARDS = 'https://www.factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards/';
const NAT = 'https://basavytix.com/blog/aws-nat-gateway-pricing';

/** Where the billing facts (not prices) come from. */
export const SOURCES = {
  CONSOLIDATED_BILLING: {
    source: 'https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/useconsolidatedbilling-effective.html',
    read: READ,
    fact: 'For billing purposes, AWS treats all of the accounts in the organization as if they were one account.',
  },
  SQS_POLLERS: {
    source: 'https://aws.amazon.com/blogs/compute/understanding-how-aws-lambda-scales-when-subscribed-to-amazon-sqs-queues/',
    read: READ,
    fact: 'When a Lambda function subscribes to an SQS queue, Lambda polls the queue as it waits for messages to arrive; it starts at five concurrent batches.',
  },
  SQS_POLLING_BILLED: {
    source: 'https://www.cloudysave.com/knowledge-base/sqs-lambda-polling/',
    read: READ,
    fact: 'The Lambda service keeps long-polling the queue; its ReceiveMessage calls are billed at standard SQS rates even when the queue is empty.',
  },
  LONG_POLL_WAIT: {
    source: 'https://github.com/optionalg/aws-certified-developer-associate-exam-tips (citing docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-long-polling.html)',
    read: READ,
    fact: 'The maximum long-polling wait (ReceiveMessageWaitTimeSeconds) is 20 seconds.',
  },
  EVENTS_FREE: {
    source: CLOUDWATCH,
    read: READ,
    fact: 'CloudWatch free tier, Events: "All events except custom events are included" (scheduled events are not custom events).',
  },
  ALARM_FREE_TIER_SCOPE: {
    source: CLOUDWATCH,
    read: READ,
    fact: '10 alarm metrics free, "only applicable to Standard resolution alarms that list metrics directly and don\'t use a Metrics Insights query".',
  },
  KMS_PRORATED: {
    source: 'https://aws.amazon.com/fr/kms/pricing/',
    read: READ,
    fact: 'Each AWS KMS key that you create costs $1/month (prorated hourly); AWS managed and AWS owned keys are free; automatic rotation adds $1/month per new backing key.',
  },
} as const;

export const PRICES = {
  alarmStandardMetric: {
    value: 0.1, per: 1, unit: 'alarm metric-month (standard resolution, period >= 60 s)', region: US_EAST_1,
    source: CLOUDWATCH_ALARMS_GUIDE, read: READ, confirmed: true,
    note: 'A metric math alarm is billed per metric it reads. Free tier scope on ' + CLOUDWATCH + '.',
  },
  alarmHighResolutionMetric: {
    value: 0.3, per: 1, unit: 'alarm metric-month (high resolution, period < 60 s)', region: US_EAST_1,
    source: CLOUDWATCH_ALARMS_GUIDE, read: READ, confirmed: true,
  },
  alarmMetricsInsightsMetric: {
    value: 0.1, per: 1, unit: 'metric analyzed by a Metrics Insights query alarm, per month', region: US_EAST_1,
    source: CLOUDWATCH, read: READ, confirmed: false,
    note: 'Billed "based on the number of metrics analyzed by the query ... per hour", no free tier (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_billing.html, read 2026-11-27); the $0.10 per metric rate is quoted by third parties, not seen on the AWS page. Check it.',
  },
  alarmComposite: {
    value: 0.5, per: 1, unit: 'composite alarm-month', region: US_EAST_1,
    source: CLOUDWATCH_ALARMS_GUIDE, read: READ, confirmed: true,
  },
  customMetric: {
    value: 0.3, per: 1, unit: 'custom metric-month (first 10,000; prorated by the hours it receives data)', region: US_EAST_1,
    source: CUSTOM_METRICS, read: READ, confirmed: true,
  },
  dashboard: {
    value: 3, per: 1, unit: 'dashboard-month', region: US_EAST_1,
    source: DASHBOARDS, read: READ, confirmed: true,
  },
  kmsCustomerKey: {
    value: 1, per: 1, unit: 'customer managed KMS key-month (prorated hourly)', region: US_EAST_1,
    source: KMS, read: READ, confirmed: true,
  },
  sqsStandardRequests: {
    value: 0.4, per: 1_000_000, unit: 'SQS standard-queue requests (each 64 KB chunk is one request)', region: US_EAST_1,
    source: SQS, read: READ, confirmed: true,
  },
  sqsFifoRequests: {
    value: 0.5, per: 1_000_000, unit: 'SQS FIFO-queue requests', region: US_EAST_1,
    source: SQS, read: READ, confirmed: true,
  },
  schedulerInvocations: {
    value: 1, per: 1_000_000, unit: 'EventBridge Scheduler invocations', region: US_EAST_1,
    source: EVENTBRIDGE, read: READ, confirmed: true,
  },
  lambdaRequests: {
    value: 0.2, per: 1_000_000, unit: 'Lambda requests', region: US_EAST_1,
    source: LAMBDA, read: READ, confirmed: true,
  },
  lambdaArmGbSecond: {
    value: 0.0000133334, per: 1, unit: 'Lambda duration GB-second, arm64 (first 7.5 billion GB-s/month)', region: US_EAST_1,
    source: LAMBDA_ARM, read: READ, confirmed: true,
  },
  lambdaX86GbSecond: {
    value: 0.0000166667, per: 1, unit: 'Lambda duration GB-second, x86_64 (first 6 billion GB-s/month)', region: US_EAST_1,
    source: LAMBDA_ARM, read: READ, confirmed: true,
  },
  lambdaProvisionedArmGbSecond: {
    value: 0.0000033334, per: 1, unit: 'provisioned concurrency GB-second, arm64 (charged while configured)', region: US_EAST_1,
    source: LAMBDA, read: READ, confirmed: false,
    note: 'The page describes the billing (while configured, rounded to 5 minutes); the rate was not in the excerpt read.',
  },
  lambdaProvisionedX86GbSecond: {
    value: 0.0000041667, per: 1, unit: 'provisioned concurrency GB-second, x86_64 (charged while configured)', region: US_EAST_1,
    source: LAMBDA, read: READ, confirmed: false,
  },
  stepFunctionsStandardTransitions: {
    value: 0.025, per: 1_000, unit: 'Step Functions Standard state transitions', region: US_EAST_1,
    source: STEP_FUNCTIONS, read: READ, confirmed: true,
  },
  logsStorage: {
    value: 0.03, per: 1, unit: 'CloudWatch Logs archived storage GB-month', region: US_EAST_1,
    source: LOGS, read: READ, confirmed: true,
  },
  dynamodbStorage: {
    value: 0.25, per: 1, unit: 'DynamoDB storage GB-month (first 25 GB free)', region: US_EAST_1,
    source: DYNAMODB, read: READ, confirmed: true,
  },
  dynamodbPitr: {
    value: 0.2, per: 1, unit: 'DynamoDB point-in-time recovery GB-month (table size)', region: US_EAST_1,
    source: DYNAMODB_ON_DEMAND, read: READ, confirmed: false,
  },
  dynamodbProvisionedWcuHour: {
    value: 0.00065, per: 1, unit: 'DynamoDB provisioned write capacity unit-hour', region: US_EAST_1,
    source: DYNAMODB_PROVISIONED, read: READ, confirmed: false,
  },
  dynamodbProvisionedRcuHour: {
    value: 0.00013, per: 1, unit: 'DynamoDB provisioned read capacity unit-hour', region: US_EAST_1,
    source: DYNAMODB_PROVISIONED, read: READ, confirmed: false,
  },
  secretsManagerSecret: {
    value: 0.4, per: 1, unit: 'Secrets Manager secret-month', region: US_EAST_1,
    source: SECRETS_MANAGER, read: READ, confirmed: true,
  },
  natGatewayHour: {
    value: 0.045, per: 1, unit: 'NAT gateway-hour (plus $0.045/GB processed)', region: US_EAST_1,
    source: NAT, read: READ, confirmed: true,
  },
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICES;

/** USD for one unit of `key`. */
export function unitPrice(key: PriceKey): number {
  const price: Price = PRICES[key];
  return price.value / price.per;
}

/**
 * Always-free monthly allowances per billing account, in the units of the price they offset.
 * Applied only with `--free-tier per-account` (see the header).
 */
export const FREE_TIER: Partial<Record<PriceKey, { quantity: number; source: string }>> = {
  alarmStandardMetric: { quantity: 10, source: CLOUDWATCH },
  customMetric: { quantity: 10, source: CLOUDWATCH },
  dashboard: { quantity: 3, source: CLOUDWATCH },
  sqsStandardRequests: { quantity: 1_000_000, source: SQS },
  schedulerInvocations: { quantity: 14_000_000, source: EVENTBRIDGE },
  lambdaRequests: { quantity: 1_000_000, source: LAMBDA },
  lambdaArmGbSecond: { quantity: 400_000, source: LAMBDA },
  stepFunctionsStandardTransitions: { quantity: 4_000, source: STEP_FUNCTIONS },
};

/** Modelling assumptions (not prices); each one is printed with the report. */
export const ASSUMPTIONS = {
  hoursPerMonth: 730,
  /** Lambda keeps this many long-poll connections per SQS event source mapping while the queue is empty (SOURCES.SQS_POLLERS). */
  idlePollersPerQueue: 5,
  /** Each idle long poll waits this long before returning empty (SOURCES.LONG_POLL_WAIT). */
  longPollSeconds: 20,
  /** Duration of one scheduled Lambda invocation doing nothing useful in an idle tenant. */
  scheduledLambdaDurationMs: 200,
  /** Default Lambda memory when the template has none. */
  defaultLambdaMemoryMb: 128,
  /** Average days per month (365 / 12) for cron schedules. */
  daysPerMonth: 365 / 12,
} as const;

/** ReceiveMessage requests one idle SQS event source mapping makes per month. */
export function idlePollRequestsPerMonth(): number {
  const seconds = ASSUMPTIONS.hoursPerMonth * 3600;
  return (ASSUMPTIONS.idlePollersPerQueue * seconds) / ASSUMPTIONS.longPollSeconds;
}
