import { FUNCTION_DEFAULTS } from '@fleet/contracts';
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HandlerBundle } from './handler-bundle';
import { childPath } from './private/errors';
import { checkDurationRange, checkIntegerRange } from './private/validation';
import { ServiceStack } from './service-stack';

/** Properties of a `TenantFunction`. */
export interface TenantFunctionProps {
  /** The bundle holding this function's code. */
  readonly bundle: HandlerBundle;

  /** Name of the handler in `bundle` (a key of its `entries`). */
  readonly handlerName: string;

  /**
   * Where failed asynchronous invocations go (after the retries, or when too old): usually
   * `ServiceStack.failureBus`.
   */
  readonly failureBus: events.IEventBus;

  /**
   * Description of the function.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Function timeout.
   *
   * @default Duration.seconds(10) - small single-purpose functions; the Lambda default of 3 s is
   * tight for a cold start that creates SDK clients
   */
  readonly timeout?: Duration;

  /**
   * Memory in MB (CPU scales with it).
   *
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * Extra environment variables. They may override `POWERTOOLS_LOG_LEVEL` and `NODE_OPTIONS`;
   * `POWERTOOLS_SERVICE_NAME` is always the service name.
   *
   * @default - only the variables set by this construct
   */
  readonly environment?: Record<string, string>;

  /**
   * Retries of a failed asynchronous invocation (0-2).
   *
   * @default 2 - the Lambda default, set explicitly because PutFunctionEventInvokeConfig
   * replaces the whole configuration
   */
  readonly retryAttempts?: number;

  /**
   * Maximum age of an asynchronous event before Lambda sends it to the failure bus (60 s - 6 h).
   *
   * @default Duration.hours(1) - Lambda's default is 6 h; an event that could not run for an
   * hour (throttled or failing) should reach the central failure path while the incident is
   * still fresh, instead of lingering in a tenant account for 6 h
   */
  readonly maxEventAge?: Duration;

  /**
   * Retention of the function's log group.
   *
   * @default logs.RetentionDays.ONE_WEEK - log storage is paid in every tenant account
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A Lambda function of a fleet service: Node.js 22 on arm64 (Graviton: about 20% cheaper per
 * GB-second), code from a `HandlerBundle`, its own log group with a retention, Powertools
 * environment, and an explicit asynchronous invocation configuration whose on-failure
 * destination is the failure bus.
 *
 * EventBridge invokes Lambda asynchronously, so the async config is what protects events when
 * the function throws or is throttled:
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
export class TenantFunction extends lambda.Function {
  /** The bundle holding the code. */
  public readonly bundle: HandlerBundle;

  /** Name of the handler in `bundle`; `bundle.entries[handlerName]` is its source. */
  public readonly handlerName: string;

  public constructor(scope: Construct, id: string, props: TenantFunctionProps) {
    const path = childPath(scope, id);
    // Ranges from the Lambda API reference (PutFunctionEventInvokeConfig).
    checkIntegerRange(path, 'retryAttempts', props.retryAttempts, 0, 2, 'Lambda retries a failed asynchronous invocation at most twice');
    checkDurationRange(path, 'maxEventAge', props.maxEventAge, 60, 21_600, 'the limits of Lambda asynchronous invocation');

    const service = ServiceStack.of(scope);
    // A sibling (`<id>LogGroup`) because it must exist before super(); `this.logGroup` returns it.
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_WEEK,
      // The name is generated, so a re-created stack never collides with an old group, and a
      // week of logs is not worth an orphaned resource in thousands of accounts.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    super(scope, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.bundle.code(props.handlerName),
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(FUNCTION_DEFAULTS.timeoutSeconds),
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memoryMb,
      logGroup,
      environment: {
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(props.bundle.sourceMap ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: service.serviceName,
        // One account per tenant: the account id is the tenant id, stamped on every log line.
        FLEET_TENANT_ID: Aws.ACCOUNT_ID,
      },
      // All three fields, always: PutFunctionEventInvokeConfig resets any field left out.
      retryAttempts: props.retryAttempts ?? 2,
      maxEventAge: props.maxEventAge ?? Duration.hours(1),
      onFailure: new destinations.EventBridgeDestination(props.failureBus),
    });
    this.bundle = props.bundle;
    this.handlerName = props.handlerName;

    // cdk-nag AwsSolutions findings accepted here, each with its reason (the guardrail pack
    // FleetGuardrailsChecks and AwsSolutionsChecks run on every ServiceStack).
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions-L1', reason: 'Node.js 22 is pinned on purpose: a runtime change reaches thousands of tenant accounts, so it ships as a tested blueprint version, not whenever a newer runtime appears' },
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'The AWS managed basic execution policy only allows writing CloudWatch Logs (logs:CreateLogGroup, CreateLogStream, PutLogEvents)' },
    );
  }
}
