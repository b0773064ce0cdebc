import { Aws, CfnMapping, CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { childPath, optionError } from './private/errors';
import { checkDurationRange, checkIntegerRange } from './private/validation';
import { ServiceWorkflow } from './service-workflow';

/** Intervals in minutes that divide an hour (so the offset stays the same every hour). */
const MINUTE_INTERVALS = [2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
/** Intervals in hours that divide a day. */
const HOUR_INTERVALS = [1, 2, 3, 4, 6, 8, 12, 24];

/** Name of the stack parameter holding the per-account minute offset. */
export const SCHEDULE_OFFSET_PARAMETER = 'ScheduleOffsetMinute';

/**
 * The minute offset (0-59) of a tenant account's schedules: a 32-bit FNV-1a hash of the account
 * id, modulo 60. Deterministic (the same account always gets the same minute, so a redeployment
 * does not move its schedules) and spread evenly over the hour across thousands of accounts.
 *
 * CloudFormation has no hash or arithmetic function, and a transform or macro (which could
 * compute one) is not allowed in a StackSet, so the control plane computes the offset and passes
 * it as a per-account parameter override of the stack set (`ScheduleOffsetMinute`):
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stackinstances-override.html
 */
export function scheduleOffsetMinute(accountId: string): number {
  if (!/^\d{12}$/.test(accountId)) {
    throw optionError('scheduleOffsetMinute', 'accountId', 'must be a 12-digit AWS account id', accountId, 'Pass the tenant account id, for example "123456789012"');
  }
  let hash = 0x811c9dc5;
  for (const char of accountId) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 60;
}

/** Properties of a `JitteredSchedule`. */
export interface JitteredScheduleProps {
  /** What runs: the service workflow (starts an execution) or a function (invoked asynchronously). */
  readonly target: ServiceWorkflow | lambda.IFunction;

  /**
   * How often it runs: a whole number of minutes that divides an hour (2, 3, 4, 5, 6, 10, 12, 15,
   * 20, 30) or of hours that divides a day (1, 2, 3, 4, 6, 8, 12, 24). Runs at the account's
   * offset minute (the `ScheduleOffsetMinute` parameter), then somewhere within `flexibleWindow`.
   */
  readonly every: Duration;

  /**
   * EventBridge Scheduler invokes the target at a random moment within this window after the
   * scheduled time (1 minute - 24 hours, shorter than `every`).
   *
   * @default - 15 minutes, or half of `every` when that is shorter
   */
  readonly flexibleWindow?: Duration;

  /**
   * The input of the execution or invocation, as JSON. Scheduler replaces the context keywords
   * `<aws.scheduler.scheduled-time>`, `<aws.scheduler.execution-id>`, ... in it:
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
   *
   * @default - `{ "scheduledTime": "<aws.scheduler.scheduled-time>", "executionId": "<aws.scheduler.execution-id>" }`
   */
  readonly input?: Record<string, unknown>;

  /**
   * Times Scheduler retries delivering to the target (0-185). Only throttles and service errors
   * are retried; a function's own errors are handled by its asynchronous invocation config.
   *
   * @default 3 - Scheduler's default of 185 keeps retrying for a day; the next run is never far
   */
  readonly retryAttempts?: number;

  /**
   * How long Scheduler keeps trying to deliver one run (60 s - 24 h).
   *
   * @default - the interval (`every`), at most 1 hour: by then the next run is due
   */
  readonly maxEventAge?: Duration;

  /**
   * Description of the schedule.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * Scheduled work that never fires at the same moment in thousands of tenant accounts: an
 * EventBridge Scheduler schedule (`AWS::Scheduler::Schedule`) at a per-account minute offset
 * (the `ScheduleOffsetMinute` stack parameter, see `scheduleOffsetMinute`) with a flexible time
 * window on top, a role that can only start this one target, an explicit retry policy and no
 * dead-letter queue (an SQS queue per account is idle cost; failed runs show in the target's own
 * failure path).
 *
 * The fleet guardrails reject EventBridge rules with a ScheduleExpression (`Fleet-Schedule1`) and
 * schedules without a flexible window (`Fleet-Schedule2`): the platform this product is modelled
 * on DDoSed itself with `rate(5 minutes)` aligned across thousands of accounts.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html
 */
export class JitteredSchedule extends Construct {
  /** The schedule. */
  public readonly schedule: scheduler.CfnSchedule;

  /** The role Scheduler assumes to start the target. */
  public readonly role: iam.Role;

  /** The schedule expression (a `cron(...)` with the offset minute resolved by CloudFormation). */
  public readonly scheduleExpression: string;

  public constructor(scope: Construct, id: string, props: JitteredScheduleProps) {
    const path = childPath(scope, id);
    const interval = intervalOf(path, props.every);
    const periodMinutes = interval.unit === 'minutes' ? interval.value : interval.value * 60;
    const windowMinutes = flexibleWindowOf(path, props.flexibleWindow, periodMinutes);
    checkIntegerRange(path, 'retryAttempts', props.retryAttempts, 0, 185, 'the limits of an EventBridge Scheduler retry policy');
    checkDurationRange(path, 'maxEventAge', props.maxEventAge, 60, 86_400, 'the limits of an EventBridge Scheduler retry policy');
    super(scope, id);

    const offset = offsetParameter(Stack.of(this));
    this.scheduleExpression = interval.unit === 'minutes'
      // cron(m/5 * * * ? *) with m = offset mod 5, looked up in a mapping (CloudFormation has no mod).
      ? Fn.join('', ['cron(', offsetMapping(Stack.of(this), interval.value).findInMap(offset.valueAsString, `every${interval.value}`), `/${interval.value} * * * ? *)`])
      : Fn.join('', ['cron(', offset.valueAsString, interval.value === 24 ? ' 0 * * ? *)' : ` 0/${interval.value} * * ? *)`]);

    const { arn, actions } = props.target instanceof ServiceWorkflow
      ? { arn: props.target.stateMachine.stateMachineArn, actions: ['states:StartExecution'] }
      : { arn: props.target.functionArn, actions: ['lambda:InvokeFunction'] };

    // Only this account's schedules may use the role (confused deputy prevention):
    // https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `Starts ${props.target.node.path} on schedule`,
    });
    // The target ARN only: no `:*` versions or aliases, nothing else.
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [arn] }));

    const maxEventAge = props.maxEventAge ?? Duration.seconds(Math.max(60, Math.min(periodMinutes * 60, 3_600)));
    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: props.description,
      scheduleExpression: this.scheduleExpression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: windowMinutes },
      state: 'ENABLED',
      target: {
        arn,
        roleArn: this.role.roleArn,
        input: JSON.stringify(props.input ?? { scheduledTime: '<aws.scheduler.scheduled-time>', executionId: '<aws.scheduler.execution-id>' }),
        retryPolicy: {
          maximumRetryAttempts: props.retryAttempts ?? 3,
          maximumEventAgeInSeconds: maxEventAge.toSeconds(),
        },
      },
    });
    // The policy must exist before Scheduler validates the target with the role.
    this.schedule.node.addDependency(this.role);
  }
}

function intervalOf(path: string, every: Duration): { unit: 'minutes' | 'hours'; value: number } {
  const allowed = `${MINUTE_INTERVALS.join(', ')} minutes or ${HOUR_INTERVALS.join(', ')} hours`;
  const seconds = every.isUnresolved() ? NaN : every.toSeconds();
  const minutes = seconds / 60;
  if (MINUTE_INTERVALS.includes(minutes)) return { unit: 'minutes', value: minutes };
  if (HOUR_INTERVALS.includes(minutes / 60)) return { unit: 'hours', value: minutes / 60 };
  throw optionError(path, 'every', 'must divide an hour or a day', every.isUnresolved() ? 'token' : every.toHumanString(),
    `Pass one of ${allowed}: other intervals would drift against the per-account offset minute`);
}

function flexibleWindowOf(path: string, window: Duration | undefined, periodMinutes: number): number {
  if (window === undefined) return Math.min(15, Math.max(1, Math.floor(periodMinutes / 2)));
  const minutes = window.isUnresolved() ? NaN : window.toSeconds() / 60;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1_440 || minutes >= periodMinutes) {
    throw optionError(path, 'flexibleWindow', `must be a whole number of minutes from 1 to ${Math.min(1_440, periodMinutes - 1)}`,
      window.isUnresolved() ? 'token' : window.toHumanString(),
      'Pass a window shorter than the interval (EventBridge Scheduler allows 1-1440 minutes), so runs do not overlap');
  }
  return minutes;
}

/** The stack's `ScheduleOffsetMinute` parameter, created with the first schedule. */
function offsetParameter(stack: Stack): CfnParameter {
  const existing = stack.node.tryFindChild(SCHEDULE_OFFSET_PARAMETER);
  if (existing instanceof CfnParameter) return existing;
  return new CfnParameter(stack, SCHEDULE_OFFSET_PARAMETER, {
    type: 'Number',
    minValue: 0,
    maxValue: 59,
    // A StackSet auto-deployment to a new account uses the default until the control plane sets
    // the account's override; the flexible window still spreads those accounts' runs.
    default: 0,
    description: 'Minute (0-59) by which this account\'s schedules are shifted. Set per stack instance by the control plane (scheduleOffsetMinute(accountId)).',
  });
}

/** `FleetScheduleOffsets[<offset>][every<n>] = offset mod n`, one column per interval in use. */
function offsetMapping(stack: Stack, intervalMinutes: number): CfnMapping {
  const id = 'FleetScheduleOffsets';
  const mapping = (stack.node.tryFindChild(id) as CfnMapping | undefined) ?? new CfnMapping(stack, id);
  for (let minute = 0; minute < 60; minute++) {
    mapping.setValue(String(minute), `every${intervalMinutes}`, String(minute % intervalMinutes));
  }
  return mapping;
}
