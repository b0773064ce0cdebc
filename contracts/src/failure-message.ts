/**
 * The contract between the central failure path (`CentralFailurePath` in `@fleet/workflows`)
 * and the recovery CLI (`fleet dlq`, in `@fleet/cli`): the body of every message the central
 * failure rule writes into the central DLQ, and the name of the queue of tenant rules' dead letters.
 */
export const FAILURE_MESSAGE_FORMAT = {
  /** Marks a body written by the central rule; the value is the format version. */
  VERSION_FIELD: 'fleetFailureMessage',
  VERSION: 1,
  /**
   * The tenant: the `account` of the event envelope. EventBridge sets it to the account that
   * called PutEvents (the tenant's function or state machine), so a tenant cannot write another
   * tenant's id here. The payload (`event.detail`) is tenant-controlled and never trusted.
   */
  TENANT_FIELD: 'tenant',
  /** The `region` of the envelope: where the event was put, so where to redeliver. */
  REGION_FIELD: 'region',
  /** The original event, unchanged (`<aws.events.event.json>`). */
  EVENT_FIELD: 'event',
} as const;

/**
 * The input template of the central failure rule's SQS target. `<tenant>`, `<region>` and
 * `<id>` come from the event envelope (input paths `$.account`, `$.region`, `$.id`); the
 * `aws.events.*` placeholders are EventBridge's reserved variables.
 */
export const FAILURE_MESSAGE_TEMPLATE = [
  '{',
  `"${FAILURE_MESSAGE_FORMAT.VERSION_FIELD}":${FAILURE_MESSAGE_FORMAT.VERSION},`,
  `"${FAILURE_MESSAGE_FORMAT.TENANT_FIELD}":<tenant>,`,
  `"${FAILURE_MESSAGE_FORMAT.REGION_FIELD}":<region>,`,
  '"eventId":<id>,',
  '"ruleArn":"<aws.events.rule-arn>",',
  '"ingestedAt":"<aws.events.event.ingestion-time>",',
  `"${FAILURE_MESSAGE_FORMAT.EVENT_FIELD}":<aws.events.event.json>`,
  '}',
].join('');

/** The input paths of the template: envelope fields only, never `$.detail`. */
export const FAILURE_MESSAGE_INPUT_PATHS = {
  tenant: '$.account',
  region: '$.region',
  id: '$.id',
} as const;

/**
 * The name of the queue receiving the dead letters of tenant rules ends with this
 * (`<failure bus name>-tenant-dead-letters`). `fleet dlq` reads such a queue strictly: only
 * EventBridge dead letters, with a `RULE_ARN` of the event's own account, are trusted in it.
 */
export const TENANT_DEAD_LETTER_QUEUE_SUFFIX = '-tenant-dead-letters';

/**
 * The central DLQ's receive limit by default: none. Every `fleet dlq` scan receives every
 * message of the queue (SQS has no other way to read), so any limit would let reading one
 * tenant's messages, or one tenant's flood, move every other tenant's messages out of the
 * queue. `CentralFailurePath` takes it as the default of `maxReceiveCount`; the CLI's tests
 * configure their queue with it.
 */
export const CENTRAL_DLQ_DEFAULT_MAX_RECEIVE_COUNT: number | undefined = undefined;
