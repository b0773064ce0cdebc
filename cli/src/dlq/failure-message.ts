/**
 * Reading one message of the central DLQ: who it belongs to (the tenant, from the event
 * envelope only), what failed, and whether anything in the payload contradicts the tenant.
 *
 * Two body shapes are understood:
 * - `central`: written by the central failure rule (`CentralFailurePath` in `@fleet/workflows`):
 *   `{ fleetFailureMessage: 1, tenant, region, eventId, ruleArn, ingestedAt, event }`, where
 *   `tenant`, `region` and `eventId` are the envelope's `account`, `region` and `id`, copied by
 *   the rule's input transformer; `event` is the original event.
 * - `event`: a bare EventBridge event, as EventBridge writes it into a rule target's DLQ (the
 *   delivery DLQ), with `RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`... message attributes.
 *
 * The field names and the queue suffix come from `@fleet/contracts`, which the central rule is
 * built from too; it imports nothing, so reading it does not load aws-cdk-lib at the CLI's start-up.
 */
import { FAILURE_MESSAGE_FORMAT, TENANT_DEAD_LETTER_QUEUE_SUFFIX, WORKFLOW_FAILED_DETAIL_TYPE } from '@fleet/contracts';
import { Message } from '@aws-sdk/client-sqs';
import { accountClaims, AccountClaim, arnAccount } from './claims';

/** `detail-type` of a Lambda on-failure destination record delivered to an EventBridge bus. */
export const LAMBDA_FAILURE_DETAIL_TYPE = 'Lambda Function Invocation Result - Failure';
/** `detail-type` of the event the fleet's `FailurePath` puts when an execution fails. */
export { WORKFLOW_FAILED_DETAIL_TYPE };

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** What failed, as far as the message says. */
export type FailureKind = 'lambda-failure' | 'workflow-failed' | 'rule-dead-letter' | 'other';

/** Why a message must not be redriven. */
export interface Quarantine {
  readonly code: 'no-envelope-account' | 'envelope-disagrees' | 'payload-claims-other-account' | 'untrusted-sender';
  readonly reason: string;
}

/** An EventBridge event as far as this tool reads it. */
export interface EventEnvelope {
  readonly 'version'?: string;
  readonly 'id'?: string;
  readonly 'detail-type'?: string;
  readonly 'source'?: string;
  readonly 'account'?: string;
  readonly 'time'?: string;
  readonly 'region'?: string;
  readonly 'resources'?: unknown[];
  readonly 'detail'?: unknown;
}

/** One message of the central DLQ, read and judged. Never changes the message. */
export interface FailureMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** The raw body, byte for byte (what a quarantine or a show prints). */
  readonly body: string;
  readonly shape: 'central' | 'event' | 'unreadable';
  /** The tenant: the envelope account, when present and a 12-digit account id. */
  readonly tenant?: string;
  /** The envelope region: where the event was put, so where it is redelivered. */
  readonly region?: string;
  readonly event?: EventEnvelope;
  readonly kind: FailureKind;
  /** Every account id the payload claims, with where it says so. */
  readonly claims: readonly AccountClaim[];
  /** Set when the message must not be redriven. */
  readonly quarantine?: Quarantine;
  /** The message attributes, as strings (EventBridge's RULE_ARN, ERROR_CODE...). */
  readonly attributes: Record<string, string>;
  /** When SQS first received the message (ms since epoch), if asked for. */
  readonly sentAt?: number;
  /** How many times it was received (each list/show counts). */
  readonly receiveCount?: number;
}

export { TENANT_DEAD_LETTER_QUEUE_SUFFIX };

/** True when `url` is the queue of tenant rules' dead letters, by its name. */
export function isTenantDeadLetterQueue(url: string): boolean {
  return url.replace(/\/+$/, '').endsWith(TENANT_DEAD_LETTER_QUEUE_SUFFIX);
}

export interface ReadOptions {
  /**
   * The message comes from the queue of tenant rules' dead letters, which any EventBridge rule
   * of the organization may write to, also directly as a target with a body of its own. Only
   * EventBridge's own dead letters are trusted there: a bare event with a `RULE_ARN` attribute
   * naming a rule of the event's account. Anything else is quarantined.
   */
  readonly tenantDeadLetters?: boolean;
}

/** Attributes a quarantined message carries, beside the original ones. */
export const QUARANTINE_ATTRIBUTES = {
  REASON: 'FLEET_QUARANTINE_REASON',
  CODE: 'FLEET_QUARANTINE_CODE',
  ENVELOPE_ACCOUNT: 'FLEET_ENVELOPE_ACCOUNT',
  SOURCE_QUEUE: 'FLEET_SOURCE_QUEUE',
} as const;

/** Reads an SQS message of the central DLQ (or of the delivery DLQ, or of the tenant dead-letter queue). */
export function readFailureMessage(message: Message, options: ReadOptions = {}): FailureMessage {
  const body = message.Body ?? '';
  const base = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body,
    attributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {})
      .map(([name, value]) => [name, value.StringValue ?? ''])),
    sentAt: numberOrUndefined(message.Attributes?.SentTimestamp),
    receiveCount: numberOrUndefined(message.Attributes?.ApproximateReceiveCount),
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ...base, shape: 'unreadable', kind: 'other', claims: [], quarantine: { code: 'no-envelope-account', reason: 'the body is not JSON, so there is no envelope account' } };
  }
  if (!isObject(parsed)) {
    return { ...base, shape: 'unreadable', kind: 'other', claims: [], quarantine: { code: 'no-envelope-account', reason: 'the body is not a JSON object, so there is no envelope account' } };
  }

  const central = parsed[FAILURE_MESSAGE_FORMAT.VERSION_FIELD] !== undefined;
  const event = (central ? parsed[FAILURE_MESSAGE_FORMAT.EVENT_FIELD] : parsed) as unknown;
  if (!isObject(event)) {
    return { ...base, shape: central ? 'central' : 'unreadable', kind: 'other', claims: [], quarantine: { code: 'no-envelope-account', reason: 'the body holds no EventBridge event' } };
  }
  const envelope = event as EventEnvelope;
  const tenantField = central ? parsed[FAILURE_MESSAGE_FORMAT.TENANT_FIELD] : envelope.account;
  const regionField = central ? parsed[FAILURE_MESSAGE_FORMAT.REGION_FIELD] : envelope.region;
  const kind = options.tenantDeadLetters ? 'rule-dead-letter' : kindOf(envelope, base.attributes);
  const claims = accountClaims(envelope);
  const shape = central ? 'central' : 'event';

  if (typeof tenantField !== 'string' || !ACCOUNT_ID.test(tenantField)) {
    return {
      ...base, shape, event: envelope, kind, claims,
      quarantine: { code: 'no-envelope-account', reason: `the envelope account is ${tenantField === undefined ? 'missing' : `not a 12-digit account id (${JSON.stringify(tenantField)})`}` },
    };
  }
  const tenant = tenantField;
  const region = typeof regionField === 'string' && REGION.test(regionField) ? regionField : undefined;
  const judged = { ...base, shape, event: envelope, kind, claims, tenant, region } as const;
  const quarantine = (code: Quarantine['code'], reason: string): FailureMessage => ({ ...judged, quarantine: { code, reason } });
  const ruleArn = base.attributes.RULE_ARN;

  // Quarantined once, quarantined for good, whichever queue it is read from later.
  const earlier = base.attributes[QUARANTINE_ATTRIBUTES.CODE];
  if (earlier !== undefined) {
    return quarantine('untrusted-sender', `quarantined before by fleet dlq (${earlier}: ${base.attributes[QUARANTINE_ATTRIBUTES.REASON] ?? 'no reason recorded'}); never redriven`);
  }
  // Who can have written this message into the queue it is read from.
  if (options.tenantDeadLetters) {
    if (central || ruleArn === undefined) {
      return quarantine('untrusted-sender', `in the tenant dead-letter queue only EventBridge's own dead letters (a bare event with a RULE_ARN attribute) are trusted, and this message ${central ? 'has the central rule\'s format, which only a forger could write here' : 'has no RULE_ARN: a rule may have sent it here directly, with a body of its choosing'}`);
    }
  } else if (central && Object.keys(base.attributes).length > 0) {
    return quarantine('untrusted-sender', `the central rule writes no message attributes, and this central-format message has ${Object.keys(base.attributes).sort().join(', ')}: it was written by something else`);
  } else if (!central && ruleArn === undefined) {
    return quarantine('untrusted-sender', 'a bare event in a central queue is trusted only as EventBridge\'s dead letter (with a RULE_ARN attribute), and this one has none');
  }
  if (central && envelope.account !== tenant) {
    return quarantine('envelope-disagrees', `the rule wrote tenant ${tenant} but the event's account is ${JSON.stringify(envelope.account)}`);
  }
  if (region === undefined) {
    return quarantine('no-envelope-account', `the envelope region is ${regionField === undefined ? 'missing' : `not a region (${JSON.stringify(regionField)})`}, so there is nowhere to redeliver`);
  }
  // A dead letter of a tenant rule: EventBridge (not the tenant) names the rule in RULE_ARN,
  // and a rule only ever sees events of its own account and region.
  if (kind === 'rule-dead-letter' && (arnAccount(ruleArn!) !== tenant || arnRegion(ruleArn!) !== region)) {
    return quarantine('envelope-disagrees', `the event is of account ${tenant} in ${region} but the rule that could not deliver it (RULE_ARN ${ruleArn}) is not`);
  }
  const others = claims.filter((claim) => claim.account !== tenant);
  if (others.length > 0) {
    const listed = others.slice(0, 3).map((c) => `${c.path} says ${c.account}`).join('; ');
    return { ...judged, quarantine: { code: 'payload-claims-other-account', reason: `the payload names another account than the envelope's ${tenant}: ${listed}${others.length > 3 ? ` (and ${others.length - 3} more)` : ''}` } };
  }
  return judged;
}

/** The function a Lambda failure record is about, from `requestContext.functionArn`. */
export function failedFunctionArn(event: EventEnvelope | undefined): string | undefined {
  const detail = event?.detail;
  if (!isObject(detail) || !isObject(detail.requestContext)) return undefined;
  const arn = detail.requestContext.functionArn;
  return typeof arn === 'string' && arnAccount(arn) !== undefined ? arn : undefined;
}

function kindOf(event: EventEnvelope, attributes: Record<string, string>): FailureKind {
  if (event.source === 'lambda' && event['detail-type'] === LAMBDA_FAILURE_DETAIL_TYPE) return 'lambda-failure';
  if (typeof event.source === 'string' && event.source.startsWith('fleet.') && event['detail-type'] === WORKFLOW_FAILED_DETAIL_TYPE) return 'workflow-failed';
  // EventBridge writes an event its rule could not deliver as the bare event, with RULE_ARN,
  // TARGET_ARN and ERROR_CODE attributes. A dead letter of the central rule itself (in the
  // delivery DLQ) names a rule of the central account: that is not a tenant rule's.
  if (attributes.RULE_ARN !== undefined && arnAccount(attributes.RULE_ARN) === event.account) return 'rule-dead-letter';
  return 'other';
}

function arnRegion(arn: string): string | undefined {
  return arn.split(':')[3];
}

function numberOrUndefined(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) ? value : undefined;
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
