import { idleCostOf } from '@fleet/contracts';
import { ASSUMPTIONS, FREE_TIER, idlePollRequestsPerMonth, PriceKey, unitPrice } from './prices';
import { CfnResource, CfnTemplate, flatten, referenced, ServiceTemplate } from './template';

/** One priced item of one resource: `quantity` in the unit of `price`, per month, per tenant account. */
export interface CostLine {
  service: string;
  resource: string;
  type: string;
  /** What is paid for, in words. */
  item: string;
  quantity: number;
  price: PriceKey;
  monthly: number;
  note?: string;
  /** The quantity when the tenant is busy, when it differs from the idle one (a Metrics Insights alarm's metrics analyzed). */
  busyQuantity?: number;
}

/** A resource that costs nothing in an idle account, and why. */
export interface FreeResource {
  service: string;
  resource: string;
  type: string;
  reason: string;
}

/** A resource the model cannot price: an unknown type, or one known to cost while idle that is not priced here. */
export interface UnpricedResource {
  service: string;
  resource: string;
  type: string;
  reason: string;
}

export interface ServiceCost {
  service: string;
  lines: CostLine[];
  free: FreeResource[];
  unpriced: UnpricedResource[];
  /** Sum of `lines` (list prices, no free tier). */
  monthly: number;
}

export type FreeTierMode = 'none' | 'per-account';

export interface AccountCost {
  services: ServiceCost[];
  /** Sum over services, before any free tier. */
  gross: number;
  /** Free-tier allowance deducted (0 with `none`). */
  freeTierCredit: number;
  /** What one idle tenant account pays per month. */
  monthly: number;
}

/** Idle monthly cost of one tenant account running every service of `fleet`. */
export function accountCost(fleet: ServiceTemplate[], freeTier: FreeTierMode = 'none'): AccountCost {
  const ctx: FleetContext = { lambdaFunctionsInAccount: countType(fleet, 'AWS::Lambda::Function') };
  const services = fleet.map((svc) => serviceCost(svc, ctx));
  const gross = sum(services.map((s) => s.monthly));
  const freeTierCredit = freeTier === 'per-account' ? freeTierCreditFor(services.flatMap((s) => s.lines)) : 0;
  return { services, gross, freeTierCredit, monthly: gross - freeTierCredit };
}

/** The allowance one account's free tier takes off `lines` (usage is summed per price across services first). */
export function freeTierCreditFor(lines: CostLine[]): number {
  const byPrice = new Map<PriceKey, number>();
  for (const line of lines) byPrice.set(line.price, (byPrice.get(line.price) ?? 0) + line.quantity);
  let credit = 0;
  for (const [price, quantity] of byPrice) {
    const free = FREE_TIER[price]?.quantity ?? 0;
    credit += Math.min(quantity, free) * unitPrice(price);
  }
  return credit;
}

interface FleetContext {
  /** Lambda functions of every service: an unfiltered Metrics Insights query over AWS/Lambda sees them all. */
  lambdaFunctionsInAccount: number;
}

function countType(fleet: ServiceTemplate[], type: string): number {
  return sum(fleet.map((s) => Object.values(s.template.Resources ?? {}).filter((r) => r.Type === type).length));
}

export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Idle monthly cost of one service's template (list prices, no free tier). */
export function serviceCost(svc: ServiceTemplate, ctx?: FleetContext): ServiceCost {
  const context = ctx ?? { lambdaFunctionsInAccount: countType([svc], 'AWS::Lambda::Function') };
  const out: ServiceCost = { service: svc.service, lines: [], free: [], unpriced: [], monthly: 0 };
  const t = svc.template;
  for (const [id, resource] of Object.entries(t.Resources ?? {})) {
    const at = { service: svc.service, resource: id, type: resource.Type };
    const charge = (item: string, quantity: number, price: PriceKey, note?: string, busyQuantity?: number) =>
      out.lines.push({ ...at, item, quantity, price, monthly: quantity * unitPrice(price), ...(note ? { note } : {}), ...(busyQuantity !== undefined && busyQuantity !== quantity ? { busyQuantity } : {}) });
    const free = (reason: string) => out.free.push({ ...at, reason });
    const unpriced = (reason: string) => out.unpriced.push({ ...at, reason });
    priceResource(t, id, resource, context, { charge, free, unpriced });
  }
  out.monthly = sum(out.lines.map((l) => l.monthly));
  return out;
}

interface Sink {
  charge(item: string, quantity: number, price: PriceKey, note?: string, busyQuantity?: number): void;
  free(reason: string): void;
  unpriced(reason: string): void;
}

const HOURS = ASSUMPTIONS.hoursPerMonth;

function priceResource(t: CfnTemplate, id: string, r: CfnResource, ctx: FleetContext, sink: Sink): void {
  const p = r.Properties ?? {};
  const simpleFree = FREE_WHEN_IDLE[r.Type];
  // The types that cost while idle are listed once, with the guardrails: @fleet/contracts.
  const idleCost = idleCostOf(r.Type);
  if (r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource') {
    sink.free('custom resource: its provider function runs only during deployments');
    return;
  }
  switch (r.Type) {
    case 'AWS::CloudWatch::Alarm':
      return priceAlarm(t, p, ctx, sink);
    case 'AWS::CloudWatch::CompositeAlarm':
      return sink.charge('composite alarm', 1, 'alarmComposite');
    case 'AWS::CloudWatch::Dashboard':
      return sink.charge('dashboard', 1, 'dashboard');
    case 'AWS::KMS::Key':
    case 'AWS::KMS::ReplicaKey': {
      const rotation = p.EnableKeyRotation === true;
      return sink.charge('customer managed key', 1, 'kmsCustomerKey',
        rotation ? 'automatic rotation adds $1/month per new backing key (from the first rotation, after a year)' : undefined);
    }
    case 'AWS::SecretsManager::Secret':
      return sink.charge('secret', 1, 'secretsManagerSecret');
    case 'AWS::EC2::NatGateway':
      return sink.charge('NAT gateway hours (always on)', HOURS, 'natGatewayHour', 'plus $0.045 per GB processed');
    case 'AWS::Lambda::EventSourceMapping':
      return priceEventSourceMapping(t, p, sink);
    case 'AWS::Pipes::Pipe':
      return pricePipe(t, p, sink);
    case 'AWS::Lambda::Version':
    case 'AWS::Lambda::Alias':
      return priceProvisionedConcurrency(t, r, sink);
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return priceTable(p, sink);
    case 'AWS::Events::Rule':
      return priceRule(t, id, p, sink);
    case 'AWS::Scheduler::Schedule':
      return priceSchedule(t, p, sink);
    case 'AWS::Logs::LogGroup': {
      const days = p.RetentionInDays;
      return sink.free(
        days === undefined
          ? 'storage billed per GB ($0.03/GB-month), nothing is written when idle; WARNING no RetentionInDays: logs never expire'
          : `storage billed per GB ($0.03/GB-month), nothing is written when idle; retention ${days} days`,
      );
    }
    case 'AWS::StepFunctions::StateMachine':
      return sink.free(
        p.StateMachineType === 'EXPRESS'
          ? 'Express: billed per request and duration; 0 without executions'
          : 'Standard: billed per state transition; 0 without executions',
      );
    case 'AWS::SSM::Parameter':
      if (p.Tier === 'Advanced' || p.Tier === 'Intelligent-Tiering') return sink.unpriced('advanced parameter: billed monthly; not priced here');
      return sink.free('standard parameter: free');
    default:
      if (simpleFree) return sink.free(simpleFree);
      if (idleCost) return sink.unpriced(`costs while idle (${idleCost.billed}${idleCost.when ? `, ${idleCost.when}` : ''}); not priced: add its price to cli/src/cost/prices.ts and a rule to cli/src/cost/model.ts`);
      if (r.Type === 'AWS::CloudFormation::Stack') return sink.unpriced('nested stack: its resources are not in this template; not priced');
      return sink.unpriced('unknown resource type: not priced; add it to cli/src/cost/model.ts (priced, or free with the reason)');
  }
}

// --- CloudWatch alarms ---------------------------------------------------------------------------

function priceAlarm(t: CfnTemplate, p: Record<string, any>, ctx: FleetContext, sink: Sink): void {
  const metrics: Array<Record<string, any>> | undefined = Array.isArray(p.Metrics) ? p.Metrics : undefined;
  if (!metrics) {
    const highRes = typeof p.Period === 'number' && p.Period < 60;
    sink.charge(highRes ? 'high-resolution alarm metric' : 'standard alarm metric', 1,
      highRes ? 'alarmHighResolutionMetric' : 'alarmStandardMetric', `${p.Namespace ?? '?'}/${p.MetricName ?? '?'}`);
    return;
  }
  const stats = metrics.filter((m) => m.MetricStat);
  const expressions = metrics.filter((m) => m.Expression !== undefined).map((m) => flatten(m.Expression));
  const queries = expressions.filter((e) => /\bSELECT\b/i.test(e));
  const anomaly = expressions.some((e) => /ANOMALY_DETECTION_BAND/i.test(e));
  const highRes = metrics.some((m) => (m.MetricStat?.Period ?? m.Period ?? 60) < 60);
  for (const query of queries) {
    const analyzed = metricsAnalyzed(query, t, ctx);
    sink.charge('Metrics Insights alarm: metrics analyzed', analyzed.count, 'alarmMetricsInsightsMetric', analyzed.note, analyzed.busy);
  }
  const listed = stats.length + (anomaly ? 2 : 0);
  if (listed > 0) {
    const kind = queries.length ? 'metrics listed next to a query' : expressions.length ? 'metric math alarm: metrics read' : 'alarm metrics';
    sink.charge(highRes ? `${kind} (high resolution)` : kind, listed,
      highRes ? 'alarmHighResolutionMetric' : 'alarmStandardMetric',
      anomaly ? 'anomaly detection band counts as 2 more metrics' : expressions.length ? `expression: ${expressions.join('; ')}` : undefined);
  }
}

/**
 * How many metrics a Metrics Insights query alarm analyzes while the account is idle, and at most
 * when it is busy. CloudWatch bills such an alarm per metric its query analyzes, per hour
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_billing.html), and an
 * alarm's query reads only the most recent three hours of data
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html).
 * Lambda publishes a function's metrics only when the function is invoked, so a per-function
 * Lambda query analyzes nothing in an idle account, and at most one metric per function (all
 * functions of the account without a WHERE clause, the service's with one) in a busy one. Other
 * queries (account-level schemas, other namespaces) are counted as 1 metric, idle or not.
 */
export function metricsAnalyzed(query: string, t: CfnTemplate, ctx: FleetContext): { count: number; busy: number; note: string } {
  if (/AWS\/Lambda/.test(query) && /FunctionName/.test(query)) {
    const busy = /\bWHERE\b/i.test(query)
      ? Object.values(t.Resources ?? {}).filter((r) => r.Type === 'AWS::Lambda::Function').length
      : ctx.lambdaFunctionsInAccount;
    const scope = /\bWHERE\b/i.test(query) ? 'function of the service' : 'Lambda function in the account';
    return {
      count: 0,
      busy,
      note: `${query}: idle, no function publishes, so 0 metrics analyzed; busy, up to ${busy} (one per ${scope} invoked in the last 3 hours) = ${money(busy * unitPrice('alarmMetricsInsightsMetric'))}/month`,
    };
  }
  return { count: 1, busy: 1, note: `${query} (one aggregated metric)` };
}

function money(value: number): string {
  return `$${value.toFixed(2)}`;
}

// --- pollers ---------------------------------------------------------------------------------------

function sqsQueueOf(t: CfnTemplate, arn: unknown): { fifo: boolean } | undefined {
  const ref = referenced(t, arn);
  if (ref?.resource.Type === 'AWS::SQS::Queue') return { fifo: ref.resource.Properties?.FifoQueue === true };
  const text = flatten(arn);
  if (text.includes(':sqs:')) return { fifo: text.endsWith('.fifo') };
  return undefined;
}

function chargePoller(sink: Sink, fifo: boolean, who: string): void {
  sink.charge(`${who}: idle ReceiveMessage long polls`, idlePollRequestsPerMonth(), fifo ? 'sqsFifoRequests' : 'sqsStandardRequests',
    `${ASSUMPTIONS.idlePollersPerQueue} pollers x one ${ASSUMPTIONS.longPollSeconds} s long poll each, ${ASSUMPTIONS.hoursPerMonth} h/month`);
}

function priceEventSourceMapping(t: CfnTemplate, p: Record<string, any>, sink: Sink): void {
  if (p.Enabled === false) return sink.free('disabled: no polling');
  const queue = sqsQueueOf(t, p.EventSourceArn);
  if (queue) {
    if (p.ProvisionedPollerConfig) sink.unpriced('provisioned mode pollers are billed per event poller unit-hour; not priced');
    return chargePoller(sink, queue.fifo, 'Lambda poller on SQS');
  }
  const source = flatten(p.EventSourceArn);
  const ref = referenced(t, p.EventSourceArn);
  if (/:kinesis:|:dynamodb:/.test(source) || ref?.resource.Type === 'AWS::Kinesis::Stream' || ref?.resource.Type === 'AWS::DynamoDB::Table') {
    return sink.free('Lambda reads Kinesis/DynamoDB streams at no request charge (the stream itself is priced separately)');
  }
  return sink.unpriced(`poller on ${source || 'an unrecognised source'} (Kafka, MQ, DocumentDB...): not priced`);
}

function pricePipe(t: CfnTemplate, p: Record<string, any>, sink: Sink): void {
  if (p.DesiredState === 'STOPPED') return sink.free('stopped: no polling');
  const queue = sqsQueueOf(t, p.Source);
  if (queue) return chargePoller(sink, queue.fifo, 'EventBridge Pipe polling SQS (Pipes bills only requests after filtering; SQS bills every poll)');
  return sink.free('billed per request after filtering; none when idle');
}

// --- always-on Lambda capacity -----------------------------------------------------------------

function functionSpec(t: CfnTemplate, value: unknown): { memoryGb: number; arm: boolean } {
  const fn = referenced(t, value)?.resource;
  const props = fn?.Type === 'AWS::Lambda::Function' ? fn.Properties ?? {} : {};
  const memoryMb = typeof props.MemorySize === 'number' ? props.MemorySize : ASSUMPTIONS.defaultLambdaMemoryMb;
  const arm = Array.isArray(props.Architectures) && props.Architectures.includes('arm64');
  return { memoryGb: memoryMb / 1024, arm };
}

function priceProvisionedConcurrency(t: CfnTemplate, r: CfnResource, sink: Sink): void {
  const n = r.Properties?.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions;
  if (typeof n !== 'number' || n <= 0) return sink.free('version/alias without provisioned concurrency: free');
  const fn = functionSpec(t, r.Properties?.FunctionName);
  sink.charge(`provisioned concurrency ${n} x ${fn.memoryGb * 1024} MB (always on)`, n * fn.memoryGb * HOURS * 3600,
    fn.arm ? 'lambdaProvisionedArmGbSecond' : 'lambdaProvisionedX86GbSecond');
}

function priceTable(p: Record<string, any>, sink: Sink): void {
  const provisioned = p.BillingMode === 'PROVISIONED' || (p.BillingMode === undefined && p.ProvisionedThroughput);
  const pitr = p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true;
  if (!provisioned) {
    return sink.free(`on-demand: billed per request; storage${pitr ? ' and point-in-time recovery' : ''} billed per GB, 0 when empty${pitr ? ' (PITR $0.20/GB-month once data arrives)' : ''}`);
  }
  const capacity = [p.ProvisionedThroughput, ...(p.GlobalSecondaryIndexes ?? []).map((g: any) => g.ProvisionedThroughput)].filter(Boolean);
  const rcu = sum(capacity.map((c: any) => Number(c.ReadCapacityUnits) || 0));
  const wcu = sum(capacity.map((c: any) => Number(c.WriteCapacityUnits) || 0));
  sink.charge(`provisioned read capacity ${rcu} RCU (always on)`, rcu * HOURS, 'dynamodbProvisionedRcuHour');
  sink.charge(`provisioned write capacity ${wcu} WCU (always on)`, wcu * HOURS, 'dynamodbProvisionedWcuHour');
}

// --- schedules -------------------------------------------------------------------------------------

function priceRule(t: CfnTemplate, id: string, p: Record<string, any>, sink: Sink): void {
  if (!p.ScheduleExpression) {
    return sink.free('event pattern rule: rules are free; custom events are billed to the publisher per event, none when idle');
  }
  if (p.State === 'DISABLED') return sink.free('disabled schedule');
  const expression = flatten(p.ScheduleExpression);
  const perMonth = invocationsPerMonth(expression);
  if (perMonth === undefined) return sink.unpriced(`schedule ${JSON.stringify(expression)} not understood: its target invocations are not priced`);
  sink.free(`scheduled rule ${expression}: ${round(perMonth)} events/month, scheduled events are free (not custom events); targets priced below`);
  for (const target of p.Targets ?? []) chargeTarget(t, target.Arn, perMonth, `${id} ${expression}`, sink);
}

function priceSchedule(t: CfnTemplate, p: Record<string, any>, sink: Sink): void {
  if (p.State === 'DISABLED') return sink.free('disabled schedule');
  const expression = flatten(p.ScheduleExpression);
  const perMonth = invocationsPerMonth(expression);
  if (perMonth === undefined) return sink.unpriced(`schedule ${JSON.stringify(expression)} not understood: not priced`);
  sink.charge(`Scheduler invocations (${expression})`, perMonth, 'schedulerInvocations');
  chargeTarget(t, p.Target?.Arn, perMonth, expression, sink);
}

/** What `invocations` per month of a schedule cost at its target. */
function chargeTarget(t: CfnTemplate, arn: unknown, invocations: number, label: string, sink: Sink): void {
  const target = referenced(t, arn);
  if (!target) return sink.unpriced(`target of ${label} (${flatten(arn) || '?'}) is outside the template: its invocations are not priced`);
  const { resource } = target;
  if (resource.Type === 'AWS::Lambda::Function') {
    const fn = functionSpec(t, arn);
    sink.charge(`Lambda requests of ${target.id} (${label})`, invocations, 'lambdaRequests');
    sink.charge(`Lambda duration of ${target.id} (${label})`, invocations * fn.memoryGb * (ASSUMPTIONS.scheduledLambdaDurationMs / 1000),
      fn.arm ? 'lambdaArmGbSecond' : 'lambdaX86GbSecond', `${ASSUMPTIONS.scheduledLambdaDurationMs} ms per invocation assumed`);
    return;
  }
  if (resource.Type === 'AWS::StepFunctions::StateMachine') {
    if (resource.Properties?.StateMachineType === 'EXPRESS') return sink.unpriced(`Express executions of ${target.id} (${label}): not priced`);
    const states = countStates(resource);
    sink.charge(`state transitions of ${target.id} (${label})`, invocations * states, 'stepFunctionsStandardTransitions',
      `${states} transitions per execution assumed (every state of the definition once)`);
    return;
  }
  if (resource.Type === 'AWS::SQS::Queue') {
    sink.charge(`SendMessage to ${target.id} (${label})`, invocations, resource.Properties?.FifoQueue ? 'sqsFifoRequests' : 'sqsStandardRequests');
    return;
  }
  sink.unpriced(`target ${target.id} (${resource.Type}) of ${label}: its invocations are not priced`);
}

/** States in a state machine definition (DefinitionString, Definition or DefinitionS3Location). */
export function countStates(stateMachine: CfnResource): number {
  const p = stateMachine.Properties ?? {};
  const text = p.Definition ? JSON.stringify(p.Definition) : flatten(p.DefinitionString);
  const matches = text.match(/"Type"\s*:\s*"(Task|Pass|Choice|Wait|Succeed|Fail|Parallel|Map)"/g);
  return Math.max(1, matches?.length ?? 1);
}

/**
 * Invocations per month of an EventBridge schedule expression: `rate(...)`, `cron(...)` (6 fields),
 * or `at(...)` (one-time: 0 per month). undefined when not understood.
 */
export function invocationsPerMonth(expression: string): number | undefined {
  const e = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(e);
  if (rate) {
    const n = Number(rate[1]);
    if (n <= 0) return undefined;
    const unit = rate[2].toLowerCase();
    const minutes = unit.startsWith('minute') ? n : unit.startsWith('hour') ? n * 60 : n * 1440;
    return (HOURS * 60) / minutes;
  }
  if (/^at\(.*\)$/i.test(e)) return 0;
  const cron = /^cron\((.*)\)$/i.exec(e);
  if (!cron) return undefined;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const [min, hour, dom, month, dow] = fields;
  const minutes = countField(min, 0, 59);
  const hours = countField(hour, 0, 23);
  const months = countField(names(month, MONTHS), 1, 12);
  if (minutes === undefined || hours === undefined || months === undefined) return undefined;
  const any = (f: string) => f === '*' || f === '?';
  let days: number | undefined;
  if (any(dom) && any(dow)) days = ASSUMPTIONS.daysPerMonth;
  else if (!any(dom)) days = countField(dom, 1, 31);
  else {
    const weekdays = countField(names(dow, WEEKDAYS), 1, 7);
    days = weekdays === undefined ? undefined : (weekdays * ASSUMPTIONS.daysPerMonth) / 7;
  }
  if (days === undefined) return undefined;
  return minutes * hours * days * (months / 12);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A cron field with month or weekday names replaced by their numbers (JAN = 1, SUN = 1). */
function names(field: string, list: string[]): string {
  return field.toUpperCase().replace(/[A-Z]{3}/g, (name) => (list.includes(name) ? String(list.indexOf(name) + 1) : name));
}

/** How many values a cron field matches (names and L/W/# count as one value each). */
function countField(rawField: string, min: number, max: number): number | undefined {
  // A value resolved at deployment (JitteredSchedule's ScheduleOffsetMinute parameter, or its
  // mapping lookup for `m/N`: flattened as `${...}`) is one value of the field, taken here as
  // the lowest: `m/N` with m < N (how JitteredSchedule writes it) matches as often as `0/N`.
  const field = rawField.replace(/\$\{[^}]*\}/g, String(min));
  if (field === '*' || field === '?') return max - min + 1;
  let total = 0;
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) return undefined;
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (/^\d+-\d+$/.test(range)) [lo, hi] = range.split('-').map(Number) as [number, number];
    else if (/^\d+$/.test(range)) [lo, hi] = [Number(range), stepText === undefined ? Number(range) : max];
    else if (/^[A-Za-z0-9#LW-]+$/.test(range)) { total += 1; continue; }
    else return undefined;
    if (hi < lo) return undefined;
    total += Math.floor((hi - lo) / step) + 1;
  }
  return total;
}

function round(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 100) / 100);
}

// --- resource types that cost nothing while idle ----------------------------------------------

const FREE_WHEN_IDLE: Record<string, string> = {
  'AWS::CDK::Metadata': 'CDK metadata: not a billed resource',
  'AWS::CloudFormation::WaitConditionHandle': 'CloudFormation bookkeeping: free',
  'AWS::CloudFormation::WaitCondition': 'CloudFormation bookkeeping: free',
  'AWS::IAM::Role': 'IAM is free',
  'AWS::IAM::Policy': 'IAM is free',
  'AWS::IAM::ManagedPolicy': 'IAM is free',
  'AWS::IAM::InstanceProfile': 'IAM is free',
  'AWS::Lambda::Function': 'billed per request and GB-second; 0 without invocations (no provisioned concurrency on the function)',
  'AWS::Lambda::Permission': 'resource policy: free',
  'AWS::Lambda::EventInvokeConfig': 'asynchronous invocation config and destinations: billed only when events flow',
  'AWS::Lambda::LayerVersion': 'code storage within the account quota: free',
  'AWS::Lambda::Url': 'billed per request',
  'AWS::StepFunctions::Activity': 'billed per state transition of the machines using it',
  'AWS::Events::EventBus': 'custom bus: billed per event published, none when idle',
  'AWS::Events::EventBusPolicy': 'resource policy: free',
  'AWS::Events::Archive': 'billed per GB archived and stored; nothing archived when idle',
  'AWS::Events::Connection': 'billed through API destination invocations',
  'AWS::Events::ApiDestination': 'billed per invocation; none when idle',
  'AWS::Scheduler::ScheduleGroup': 'schedule group: free',
  'AWS::SQS::Queue': 'free at rest: billed per request; only a poller makes requests while idle (priced on the event source mapping)',
  'AWS::SQS::QueuePolicy': 'resource policy: free',
  'AWS::SNS::Topic': 'billed per publish and delivery; none when idle',
  'AWS::SNS::Subscription': 'billed per delivery; none when idle',
  'AWS::SNS::TopicPolicy': 'resource policy: free',
  'AWS::Logs::MetricFilter': 'its custom metric is billed only for hours it receives data; no log events when idle',
  'AWS::Logs::SubscriptionFilter': 'billed per GB forwarded; none when idle',
  'AWS::Logs::ResourcePolicy': 'resource policy: free',
  'AWS::Logs::LogStream': 'billed per GB ingested/stored; none when idle',
  'AWS::S3::Bucket': 'billed per GB stored and per request; empty when idle',
  'AWS::S3::BucketPolicy': 'resource policy: free',
  'AWS::KMS::Alias': 'aliases are free',
  'AWS::SecretsManager::RotationSchedule': 'rotation invokes a Lambda function on its schedule; not priced (tiny)',
  'AWS::SecretsManager::ResourcePolicy': 'resource policy: free',
  'AWS::SecretsManager::SecretTargetAttachment': 'attachment: free',
  'AWS::EC2::VPC': 'VPC: free',
  'AWS::EC2::Subnet': 'subnet: free',
  'AWS::EC2::RouteTable': 'route table: free',
  'AWS::EC2::Route': 'route: free',
  'AWS::EC2::SubnetRouteTableAssociation': 'association: free',
  'AWS::EC2::InternetGateway': 'internet gateway: free (data transfer billed)',
  'AWS::EC2::VPCGatewayAttachment': 'attachment: free',
  'AWS::EC2::SecurityGroup': 'security group: free',
  'AWS::EC2::SecurityGroupIngress': 'security group rule: free',
  'AWS::EC2::SecurityGroupEgress': 'security group rule: free',
  'AWS::ApplicationAutoScaling::ScalableTarget': 'free (target tracking policies create alarms outside the template)',
  'AWS::ApplicationAutoScaling::ScalingPolicy': 'free (target tracking policies create alarms outside the template)',
};

