import { CfnCondition, CfnResource, Duration, Fn, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { childPath, optionError } from './private/errors';
import { checkIntegerRange } from './private/validation';
import { ServiceStack } from './service-stack';

/**
 * Metric math alarms reference at most 10 metrics (a hard limit):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html
 */
const METRICS_PER_MATH_ALARM = 10;

/** Properties of `TenantAlarms`. */
export interface TenantAlarmsProps {
  /**
   * Functions whose `AsyncEventsDropped` are summed into one alarm (metric math `SUM`); more
   * than 10 functions need one alarm per 10 (the metric math limit).
   *
   * @default - no per-service alarm
   */
  readonly functions?: lambda.IFunction[];

  /**
   * Adds the two account-wide alarms: `AsyncEventsDropped` over every function in the account (a
   * Metrics Insights query, so no per-function metric is listed) and the account-level
   * `ConcurrentExecutions`. They belong ONCE per tenant account (their names are fixed, so a
   * second stack with them fails to deploy instead of paying twice): set it on the account's
   * baseline stack (`TenantBaselineStack` does).
   *
   * @default false
   */
  readonly account?: boolean;

  /**
   * The account-level `ConcurrentExecutions` (maximum per minute, 5 minutes in a row) at or above
   * which the account alarm fires. CloudFormation cannot read the account's quota.
   *
   * @default 800 - 80% of Lambda's default quota of 1,000 concurrent executions per Region
   * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html); lower it for
   * accounts whose quota is lower
   */
  readonly concurrencyThreshold?: number;
}

/**
 * The few CloudWatch alarms of a tenant account, each paid monthly in every account (the
 * "monitoring tax" of aws-facts.md). Count per tenant account:
 *
 * - per service with `functions`: ceil(functions / 10) alarms (1 for 5-10 functions, 2 for
 *   11-15), each billed per metric it references (check the CloudWatch pricing page);
 * - once per account with `account: true`: 2 alarms, covering every function of every service.
 *
 * `ServiceStack` adds no alarm; `TenantBaselineStack` adds the account alarms, once per tenant
 * account. The account-wide alarm covers all ~20 services with one alarm,
 * and the service is already known centrally: every dropped event also reaches the failure bus
 * through the functions' on-failure destination, with the function ARN.
 *
 * Alarm actions: none. A CloudWatch alarm cannot target EventBridge, but every state change is an
 * event (`aws.cloudwatch`, `CloudWatch Alarm State Change`) on the account's default bus:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html.
 * A rule forwards the state changes of these alarms to the central failure bus when the stack's
 * `FailureBusArn` parameter names one (with the default bus they simply stay there).
 */
export class TenantAlarms extends Construct {
  /** The alarms, in creation order. */
  public readonly alarms: CfnResource[] = [];

  /** The rule forwarding the alarms' state changes to the central failure bus (conditional). */
  public readonly forwardRule?: events.Rule;

  public constructor(scope: Construct, id: string, props: TenantAlarmsProps = {}) {
    const path = childPath(scope, id);
    checkIntegerRange(path, 'concurrencyThreshold', props.concurrencyThreshold, 1, 1_000_000, 'a number of concurrent executions');
    if ((props.functions ?? []).length === 0 && props.account !== true) {
      throw optionError(path, 'functions', 'must list at least one function unless account is true', props.functions ?? [],
        'Pass the service\'s functions, or account: true for the account-wide alarms');
    }
    super(scope, id);
    const service = ServiceStack.of(this);
    const names: string[] = [];

    const functions = props.functions ?? [];
    for (let chunk = 0; chunk * METRICS_PER_MATH_ALARM < functions.length; chunk++) {
      const group = functions.slice(chunk * METRICS_PER_MATH_ALARM, (chunk + 1) * METRICS_PER_MATH_ALARM);
      const name = `fleet-${service.serviceName}-async-events-dropped${chunk === 0 ? '' : `-${chunk + 1}`}`;
      const usingMetrics = Object.fromEntries(group.map((fn, i) => [`m${i}`, fn.metric('AsyncEventsDropped', { statistic: 'Sum', period: Duration.minutes(5) })]));
      const alarm = new cloudwatch.Alarm(this, chunk === 0 ? 'AsyncEventsDropped' : `AsyncEventsDropped${chunk + 1}`, {
        alarmName: name,
        alarmDescription: `Asynchronous events of ${service.serviceName} dropped after retries or for age (they also reach the failure bus).`,
        metric: new cloudwatch.MathExpression({ expression: `SUM([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, period: Duration.minutes(5), label: 'AsyncEventsDropped' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No events is the normal state of an idle tenant, not missing data.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(alarm.node.defaultChild as CfnResource);
      names.push(name);
    }

    if (props.account === true) {
      const dropped = new cloudwatch.CfnAlarm(this, 'AccountAsyncEventsDropped', {
        alarmName: 'fleet-account-async-events-dropped',
        alarmDescription: 'Asynchronous events dropped by any Lambda function of this tenant account (they also reach the failure bus).',
        // SCHEMA(..., FunctionName) matches the per-function series only, so versions and aliases
        // (Resource dimension) are not counted twice:
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
        metrics: [{ id: 'dropped', expression: 'SELECT SUM(AsyncEventsDropped) FROM SCHEMA("AWS/Lambda", FunctionName)', period: 300, returnData: true }],
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
      });
      const concurrency = new cloudwatch.CfnAlarm(this, 'AccountConcurrentExecutions', {
        alarmName: 'fleet-account-concurrent-executions',
        alarmDescription: 'Lambda concurrent executions of this tenant account near its quota: invocations are about to be throttled.',
        // Without dimensions: the account-level aggregate Lambda publishes for all functions.
        namespace: 'AWS/Lambda',
        metricName: 'ConcurrentExecutions',
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        threshold: props.concurrencyThreshold ?? 800,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
      });
      this.alarms.push(dropped, concurrency);
      names.push('fleet-account-async-events-dropped', 'fleet-account-concurrent-executions');
    }

    this.forwardRule = this.forwardStateChanges(service, names);
  }

  private forwardStateChanges(service: ServiceStack, alarmNames: string[]): events.Rule {
    const central = new CfnCondition(this, 'FailureBusIsCentral', {
      expression: Fn.conditionNot(Fn.conditionEquals(service.failureBusArnParameter.valueAsString, '')),
    });
    const role = new iam.Role(this, 'ForwardRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
    const rule = new events.Rule(this, 'ForwardStateChanges', {
      description: 'Forwards the state changes of the fleet alarms to the central failure bus.',
      eventPattern: { source: ['aws.cloudwatch'], detailType: ['CloudWatch Alarm State Change'], detail: { alarmName: alarmNames } },
      // The parameter itself: under this condition it is the central bus.
      targets: [new targets.EventBus(events.EventBus.fromEventBusArn(this, 'CentralFailureBus', service.failureBusArnParameter.valueAsString), { role })],
    });
    Validations.of(rule).acknowledge({ id: 'CloudFormation-Validate::W1030', reason: 'The rule exists only when FailureBusArn is not empty (condition FailureBusIsCentral)' });
    // Created only when FailureBusArn names a central bus: forwarding the default bus to itself
    // would be a loop.
    for (const resource of [rule.node.defaultChild, role.node.defaultChild, role.node.tryFindChild('DefaultPolicy')?.node.defaultChild]) {
      if (resource instanceof CfnResource) resource.cfnOptions.condition = central;
    }
    return rule;
  }
}
