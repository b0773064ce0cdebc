import { Aws, Duration, Fn, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { childPath, optionError } from './private/errors';
import { checkDurationRange, checkIntegerRange } from './private/validation';
import { ServiceStack } from './service-stack';
import { ServiceWorkflow } from './service-workflow';

/** An event pattern that names at least its sources and detail types. */
export interface RouteEventPattern extends events.EventPattern {
  /** Event sources to match (at least one). */
  readonly source: string[];
  /** Detail types to match (at least one). */
  readonly detailType: string[];
}

/** Properties of an `EventRoute`. */
export interface EventRouteProps {
  /** Events to route. */
  readonly eventPattern: RouteEventPattern;

  /** Where matching events go: the service workflow (starts an execution) or a function. */
  readonly target: ServiceWorkflow | lambda.IFunction;

  /**
   * Times EventBridge retries delivering an event to the target (0-185). Only throttles and
   * 5xx errors are retried.
   *
   * @default 8 - EventBridge's default of 185 keeps retrying for a day; 8 exponential retries
   * ride out a regional blip without hiding an outage
   */
  readonly retryAttempts?: number;

  /**
   * Maximum age of an event EventBridge still tries to deliver (60 s - 24 h).
   *
   * @default Duration.hours(1) - same horizon as `TenantFunction.maxEventAge`
   */
  readonly maxEventAge?: Duration;

  /**
   * Description of the rule.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * An EventBridge rule on the account's `default` bus sending tenant events straight to the
 * service workflow or a function, with an explicit retry policy. Its dead-letter queue is the
 * central DLQ in the control-plane account (the stack's `FailureDeadLetterQueueArn` parameter),
 * never a queue in the tenant account: one SQS queue per account and rule is the idle cost and
 * the operational sprawl this platform avoids. An event the rule could not deliver after its
 * retries lands there with `RULE_ARN`/`ERROR_CODE` attributes, and `fleet dlq redrive` puts it
 * back on this account's bus.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 */
export class EventRoute extends Construct {
  /** The rule. */
  public readonly rule: events.Rule;

  public constructor(scope: Construct, id: string, props: EventRouteProps) {
    const path = childPath(scope, id);
    validatePattern(path, props.eventPattern);
    checkIntegerRange(path, 'retryAttempts', props.retryAttempts, 0, 185, 'the limits of an EventBridge retry policy');
    checkDurationRange(path, 'maxEventAge', props.maxEventAge, 60, 86_400, 'the limits of an EventBridge retry policy');
    super(scope, id);

    const retry = {
      retryAttempts: props.retryAttempts ?? 8,
      maxEventAge: props.maxEventAge ?? Duration.hours(1),
    };
    const target: events.IRuleTarget = props.target instanceof ServiceWorkflow
      ? new targets.SfnStateMachine(props.target.stateMachine, retry)
      : new targets.LambdaFunction(props.target, retry);

    this.rule = new events.Rule(this, 'Rule', {
      eventPattern: props.eventPattern,
      description: props.description,
      targets: [target],
    });
    // A target's DLQ may be a queue of another account in the same region; set only when the
    // stack's parameter names one (the central DLQ admits the organization's rules).
    const stack = ServiceStack.of(this);
    (this.rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.DeadLetterConfig', Fn.conditionIf(
      stack.hasFailureDeadLetterQueue.logicalId,
      { Arn: stack.failureDeadLetterQueueArnParameter.valueAsString },
      Aws.NO_VALUE,
    ));
    // The validator checks the parameter's empty default against the Arn's minimum length, but
    // the Fn::If above sets the Arn only when the parameter is not empty.
    Validations.of(this.rule).acknowledge({
      id: 'CloudFormation-Validate::W1030',
      reason: 'DeadLetterConfig.Arn is set only under HasFailureDeadLetterQueue (parameter not empty); the empty default means no dead-letter queue',
    });
  }
}

function validatePattern(path: string, pattern: RouteEventPattern): void {
  if (!Array.isArray(pattern.source) || pattern.source.length === 0) {
    throw optionError(path, 'eventPattern.source', 'must list at least one source', pattern.source,
      'Name the sources to route (for example ["tenant.orders"]): a rule without one would match events of every source');
  }
  if (!Array.isArray(pattern.detailType) || pattern.detailType.length === 0) {
    throw optionError(path, 'eventPattern.detailType', 'must list at least one detail type', pattern.detailType,
      'Name the detail types to route (for example ["Order Placed"])');
  }
}
