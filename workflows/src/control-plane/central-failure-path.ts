import { CENTRAL_DLQ_DEFAULT_MAX_RECEIVE_COUNT, FAILURE_MESSAGE_INPUT_PATHS, FAILURE_MESSAGE_TEMPLATE, TENANT_DEAD_LETTER_QUEUE_SUFFIX } from '@fleet/contracts';
import { Aws, CfnOutput, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { childPath, optionError } from '../private/errors';
import { checkIntegerRange, checkOrganizationId } from '../private/validation';

/** How the central queues are encrypted at rest. */
export type FailureQueueEncryption = 'sqs-managed' | 'kms';

/** Properties of a `CentralFailurePath`. */
export interface CentralFailurePathProps {
  /**
   * The AWS Organizations id of the fleet (`o-` and 10 to 32 lowercase letters or digits). Only
   * principals of this organization may put events on the failure bus (`aws:PrincipalOrgID`).
   */
  readonly organizationId: string;

  /**
   * Name of the failure bus. Tenant stacks receive its ARN as their `FailureBusArn` parameter.
   *
   * @default 'fleet-failures'
   */
  readonly eventBusName?: string;

  /**
   * Encryption at rest of the central queues.
   *
   * - `sqs-managed` (SSE-SQS): no key to pay for or to get wrong. EventBridge can write to the
   *   queue with no key policy, and access is decided by the queue policy and IAM alone.
   * - `kms`: one customer-managed key with rotation ($1 per month plus requests, in the central
   *   account only), for a separate decrypt permission and CloudTrail records of every decrypt.
   *   The key policy lets EventBridge encrypt; the AWS-managed `aws/sqs` key cannot be used,
   *   because EventBridge could not be allowed to use it.
   *
   * @default 'sqs-managed'
   */
  readonly encryption?: FailureQueueEncryption;

  /**
   * Opt-in: how many times a message may be received from the central DLQ before SQS moves it
   * to a poison queue (`poisonQueue`). Leave it out. SQS offers no read that is not a receive,
   * every receive counts (ChangeMessageVisibility does not undo it), and a scan for one tenant
   * receives every message of the queue: with a limit, reading one tenant's messages (or a
   * flood of one tenant making scans long) moves every other tenant's messages out of the
   * central DLQ. The only reader is `fleet dlq`, which judges every body, so there is no
   * poison message to protect a consumer from.
   *
   * @default - no receive limit: a message leaves the central DLQ only when `fleet dlq` deletes it
   * (after an accepted redelivery, a quarantine copy or a purge) or after `retentionDays`
   */
  readonly maxReceiveCount?: number;

  /**
   * How long failed events are kept, in days (1 to 14, SQS's limit).
   *
   * @default 14
   */
  readonly retentionDays?: number;

  /**
   * What happens to the queues when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN (failed tenant events are evidence; never lose them to a stack deletion)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** EventBridge bus names: 1-256 of letters, digits, `.`, `-`, `_`; not `default`, no `/`. */
const BUS_NAME_PATTERN = /^[A-Za-z0-9._-]{1,256}$/;

/**
 * The central failure path, in the control-plane (central) account:
 *
 * ```
 * tenant functions (on-failure destination) ─┐                 ┌─ FailureQueue (the central DLQ, encrypted)
 * tenant workflows (Workflow Failed)  ───────┼─> failure bus ──┤     (no receive limit: reading never moves a message)
 *                 (organization only)        ┘  rule: every    └─ delivery failures: DeliveryDlq
 *                                               tenant event
 * QuarantineQueue: where `fleet dlq redrive` moves messages whose tenant cannot be trusted.
 * ```
 *
 * The tenant of a message is the `account` of the event envelope, which EventBridge sets to the
 * account that put the event. The rule's input transformer copies it (and `region`, `id`) into
 * the top of the message body, beside the original event; nothing of the payload (`detail`) is
 * ever read to decide the tenant. See `docs/failure-path.md`.
 */
export class CentralFailurePath extends Construct {
  /** The organization-scoped bus the tenants' failures arrive on. */
  public readonly eventBus: events.EventBus;

  /** The rule sending every tenant event on the bus into the central DLQ. */
  public readonly rule: events.Rule;

  /** The central DLQ: one message per failed invocation or execution, of every tenant. */
  public readonly failureQueue: sqs.Queue;

  /** Messages received `maxReceiveCount` times without being deleted (the central DLQ's own DLQ); only with `maxReceiveCount`. */
  public readonly poisonQueue?: sqs.Queue;

  /** The rule target's DLQ: events EventBridge could not write into the central DLQ. */
  public readonly deliveryDeadLetterQueue: sqs.Queue;

  /** Messages the recovery tool refused to redrive (tenant missing or contradicted by the payload). */
  public readonly quarantineQueue: sqs.Queue;

  /**
   * Dead letters of the tenant accounts' own rules: events a tenant rule could not deliver to its
   * function or state machine. A queue apart from the central DLQ because anything of the
   * organization's EventBridge may write here, including a tenant rule targeting it directly
   * with a body of its choosing; `fleet dlq` therefore trusts only EventBridge's dead letters
   * in it (the `RULE_ARN` attribute, a rule of the event's own account). Its name ends in
   * `TENANT_DEAD_LETTER_QUEUE_SUFFIX`, by which the CLI knows it.
   */
  public readonly tenantDeadLetterQueue: sqs.Queue;

  /** The customer-managed key, when `encryption` is `kms`. */
  public readonly encryptionKey?: kms.Key;

  public constructor(scope: Construct, id: string, props: CentralFailurePathProps) {
    const path = childPath(scope, id);
    checkOrganizationId(path, props.organizationId, { tokens: true });
    const eventBusName = props.eventBusName ?? 'fleet-failures';
    if (!Token.isUnresolved(eventBusName) && (!BUS_NAME_PATTERN.test(eventBusName) || eventBusName === 'default')) {
      throw optionError(path, 'eventBusName', 'must be 1-256 letters, digits, ".", "-" or "_" and not "default"', eventBusName,
        'Pass a name such as "fleet-failures", or leave it out');
    }
    const encryption = props.encryption ?? 'sqs-managed';
    if (encryption !== 'sqs-managed' && encryption !== 'kms') {
      throw optionError(path, 'encryption', 'must be "sqs-managed" or "kms"', encryption, 'Pass "sqs-managed" (default) or "kms"');
    }
    checkIntegerRange(path, 'maxReceiveCount', props.maxReceiveCount, 1, 1000, 'SQS redrive policy limit');
    checkIntegerRange(path, 'retentionDays', props.retentionDays, 1, 14, 'SQS keeps messages at most 14 days');
    super(scope, id);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (encryption === 'kms') {
      this.encryptionKey = new kms.Key(this, 'Key', {
        description: 'Encrypts the fleet central failure queues',
        enableKeyRotation: true,
        removalPolicy,
      });
      // EventBridge writes into the central DLQ and the delivery DLQ: it needs the data key.
      this.encryptionKey.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    const retentionPeriod = Duration.days(props.retentionDays ?? 14);
    const queueProps = (): sqs.QueueProps => ({
      retentionPeriod,
      enforceSSL: true,
      removalPolicy,
      ...(this.encryptionKey
        ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.encryptionKey, dataKeyReuse: Duration.hours(1) }
        : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
    });

    const maxReceiveCount = props.maxReceiveCount ?? CENTRAL_DLQ_DEFAULT_MAX_RECEIVE_COUNT;
    if (maxReceiveCount !== undefined) {
      this.poisonQueue = new sqs.Queue(this, 'PoisonQueue', {
        ...queueProps(),
        // SQS's own redrive (StartMessageMoveTask) moves poison messages back once fixed.
        redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
      });
    }
    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      ...queueProps(),
      ...(this.poisonQueue ? { deadLetterQueue: { queue: this.poisonQueue, maxReceiveCount: maxReceiveCount! } } : {}),
    });
    if (!this.poisonQueue) {
      Validations.of(this.failureQueue).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SQS3',
        reason: 'The central DLQ itself: a receive limit would let reading one tenant\'s messages move every other tenant\'s out (docs/failure-path.md)',
      });
    }
    this.deliveryDeadLetterQueue = new sqs.Queue(this, 'DeliveryDeadLetterQueue', queueProps());
    this.quarantineQueue = new sqs.Queue(this, 'QuarantineQueue', queueProps());
    this.tenantDeadLetterQueue = new sqs.Queue(this, 'TenantDeadLetterQueue', {
      ...queueProps(),
      queueName: tenantDeadLetterQueueName(eventBusName),
    });
    Validations.of(this.tenantDeadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'The dead-letter queue of the tenant accounts\' rule targets: a last stop read by fleet dlq, not a working queue',
    });
    // Both are last stops, read only by operators through `fleet dlq`: a DLQ behind them would
    // only move the same messages once more. (The delivery queue is the rule target's DLQ,
    // which cdk-nag cannot see because EventBridge, not SQS redrive, sends to it.)
    Validations.of(this.deliveryDeadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'The EventBridge rule target\'s dead-letter queue: a last stop read by fleet dlq, not a working queue',
    });
    Validations.of(this.quarantineQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'Quarantined messages are evidence kept for an operator; they are never consumed or redriven',
    });

    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName, description: 'Failed invocations and executions of every fleet tenant' });
    // Principal "*" narrowed to the organization: a new tenant account can report failures from
    // its first deployment, without editing this policy (10 KB limit, thousands of accounts).
    this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'PutEventsFromTheOrganizationOnly',
      effect: iam.Effect.ALLOW,
      principals: [new iam.AnyPrincipal()],
      actions: ['events:PutEvents'],
      resources: [this.eventBus.eventBusArn],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
    }));

    this.rule = new events.Rule(this, 'TenantFailures', {
      eventBus: this.eventBus,
      description: 'Every event a tenant account puts on the failure bus, into the central DLQ',
      // Every event not put by this account: on-failure destination records
      // ("Lambda Function Invocation Result - Failure") and "Workflow Failed" events alike. A
      // narrower pattern would silently drop what it does not match.
      eventPattern: { account: events.Match.anythingBut(Aws.ACCOUNT_ID) },
    });
    this.rule.addTarget(new targets.SqsQueue(this.failureQueue, {
      message: new TenantEnvelopeInput(),
      deadLetterQueue: this.deliveryDeadLetterQueue,
      // EventBridge's maxima: a throttled queue must not drop a tenant's failure.
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    }));
    // Only the central rule writes into the central DLQ, whatever the encryption: CDK's SQS
    // target adds its aws:SourceArn condition only to queues without a KMS key, and the reader
    // trusts the central format it finds here.
    this.failureQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyTheCentralRuleWritesHere',
      effect: iam.Effect.DENY,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.failureQueue.queueArn],
      conditions: { ArnNotEquals: { 'aws:SourceArn': this.rule.ruleArn } },
    }));


    // Tenant accounts' rules put the events they could not deliver here (their targets'
    // DeadLetterConfig, the FailureDeadLetterQueueArn parameter of every tenant stack): EventBridge
    // sends them as events.amazonaws.com, on behalf of a rule of an account of the organization.
    // Never into the central DLQ itself: the same grant lets a tenant rule target the queue
    // directly with a body of its own, which must not be able to pass for the central rule's.
    this.tenantDeadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DeadLettersOfTenantRulesFromTheOrganizationOnly',
      effect: iam.Effect.ALLOW,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.tenantDeadLetterQueue.queueArn],
      conditions: { StringEquals: { 'aws:SourceOrgID': props.organizationId } },
    }));

    new CfnOutput(this, 'TenantDeadLetterQueueArn', {
      value: this.tenantDeadLetterQueue.queueArn,
      description: 'Pass as the FailureDeadLetterQueueArn parameter of every tenant service stack (same region).',
    });
    new CfnOutput(this, 'TenantDeadLetterQueueUrl', { value: this.tenantDeadLetterQueue.queueUrl, description: 'Dead letters of tenant rules (fleet dlq --queue-url)' });
    new CfnOutput(this, 'FailureBusArn', {
      value: this.eventBus.eventBusArn,
      description: 'Pass as the FailureBusArn parameter of every tenant service stack.',
    });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.failureQueue.queueUrl, description: 'FLEET_DLQ_URL for fleet dlq' });
    new CfnOutput(this, 'QuarantineQueueUrl', { value: this.quarantineQueue.queueUrl, description: 'FLEET_DLQ_QUARANTINE_URL for fleet dlq' });
    new CfnOutput(this, 'DeliveryDeadLetterQueueUrl', { value: this.deliveryDeadLetterQueue.queueUrl, description: 'Events the rule could not deliver (fleet dlq --queue-url)' });
  }

  /**
   * Lets `grantee` run `fleet dlq` (list, show, redrive, purge): consume the central DLQ, the
   * delivery DLQ, the poison queue and the tenant dead-letter queue, and send to the quarantine queue. Assuming the tenants'
   * recovery roles is granted separately (`sts:AssumeRole` on `arn:aws:iam::*:role/FleetRecoveryRole`).
   */
  public grantRecovery(grantee: iam.IGrantable): iam.Grant {
    const grant = this.failureQueue.grantConsumeMessages(grantee);
    this.deliveryDeadLetterQueue.grantConsumeMessages(grantee);
    this.poisonQueue?.grantConsumeMessages(grantee);
    this.tenantDeadLetterQueue.grantConsumeMessages(grantee);
    this.quarantineQueue.grantSendMessages(grantee);
    for (const queue of [this.failureQueue, this.deliveryDeadLetterQueue, ...(this.poisonQueue ? [this.poisonQueue] : []), this.tenantDeadLetterQueue]) {
      queue.grant(grantee, 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes');
    }
    return grant;
  }

  /** Messages waiting in the central DLQ (maximum over the period). */
  public metricMessagesWaiting(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.failureQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }

  /** Events the rule failed to deliver into the central DLQ (they are in `deliveryDeadLetterQueue`). */
  public metricDeliveryFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }
}

/** `<bus name>-tenant-dead-letters`, within SQS's 80 characters of letters, digits, `-` and `_`. */
function tenantDeadLetterQueueName(eventBusName: string): string {
  const prefix = Token.isUnresolved(eventBusName) ? 'fleet' : eventBusName.replace(/[^A-Za-z0-9_-]/g, '-');
  return `${prefix.slice(0, 80 - TENANT_DEAD_LETTER_QUEUE_SUFFIX.length)}${TENANT_DEAD_LETTER_QUEUE_SUFFIX}`;
}

/**
 * The rule target's input: the envelope's account, region and id at the top of the body, the
 * original event beside them. Only envelope paths are mapped (`FAILURE_MESSAGE_INPUT_PATHS`).
 */
class TenantEnvelopeInput extends events.RuleTargetInput {
  public constructor() {
    super();
  }

  public bind(_rule: events.IRule): events.RuleTargetInputProperties {
    return { inputTemplate: FAILURE_MESSAGE_TEMPLATE, inputPathsMap: { ...FAILURE_MESSAGE_INPUT_PATHS } };
  }
}
