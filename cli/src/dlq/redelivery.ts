import { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { arnAccount } from './claims';
import { EventEnvelope, failedFunctionArn, FailureMessage, isObject } from './failure-message';

/**
 * How a message is delivered back into its tenant account, or why it cannot be. Every kind acts
 * in the tenant's account only: the ARNs it names are checked to be the tenant's here, and the
 * tenant's role can reach nothing else.
 */
export type RedeliveryPlan =
  /** Put an event a tenant rule could not deliver back on the tenant's default bus: the rule tries again. */
  | { readonly kind: 'put-event'; readonly entry: PutEventsRequestEntry }
  /** Invoke the failed function again, asynchronously, with the very payload it failed on. */
  | { readonly kind: 'invoke'; readonly functionArn: string; readonly region: string; readonly payload: string }
  /** Start the failed execution's state machine again with the execution's original input. */
  | { readonly kind: 'restart-execution'; readonly executionArn: string; readonly stateMachineArn: string; readonly region: string; readonly executionName: string }
  | { readonly kind: 'skip'; readonly reason: string };

/** PutEvents refuses entries over 256 KB. */
const MAX_ENTRY_BYTES = 256 * 1024;
/** An asynchronous Invoke accepts at most 1 MB of payload (it was 256 KB before 2025; both fit here). */
const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):execution:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:[A-Za-z0-9_-]+$/;

/**
 * What to do with one message of the tenant. The message has passed the isolation checks
 * (`readFailureMessage` found no quarantine), so every ARN in it names the tenant's account;
 * the checks here repeat that for the ARN acted on, and pin the region to the envelope's.
 *
 * - A Lambda on-failure record: the failed function is invoked again asynchronously
 *   (`InvocationType: Event`) with the payload it failed on (`detail.requestPayload`), as
 *   EventBridge (or whoever invoked it) did: only that function runs again, not the other
 *   consumers of the same event, which had succeeded; events of `aws.*` sources are redelivered
 *   too. Handlers must be idempotent (EventBridge is at-least-once anyway).
 * - A `Workflow Failed` event: the state machine is started again with the failed execution's
 *   input (read with DescribeExecution), under the name `redrive-<event id>`. Not Step
 *   Functions' RedriveExecution: a fleet workflow catches every error into `FailurePath`, so the
 *   state that failed is the final Fail state and a redrive would fail again at once. A Standard
 *   execution's name is unique for 90 days, and StartExecution with the same name and input
 *   returns the existing execution, so running the same redrive twice never starts twice.
 *
 * - An event a tenant rule could not deliver (a dead letter of the rule, `RULE_ARN` attribute):
 *   put back on the default bus as it was, so the rule (and every other that matches) tries again.
 *
 * Left in the queue, with the reason: rule dead letters of AWS sources (`aws.*` cannot be put),
 * oversized events or payloads, records that name nothing to redeliver.
 */
export function planRedelivery(message: FailureMessage): RedeliveryPlan {
  const event = message.event;
  if (message.kind === 'workflow-failed') return planRestart(message);
  if (message.kind === 'rule-dead-letter' && event && isOriginalEvent(event)) {
    // The event a tenant rule could not deliver, put back as it was: the rule tries again.
    return planPutEvent(event, event.resources);
  }
  if (message.kind !== 'lambda-failure' || !event) {
    return skip(`not a Lambda failure record or a Workflow Failed event (source ${JSON.stringify(event?.source)}, detail-type ${JSON.stringify(event?.['detail-type'])}): nothing to redeliver`);
  }
  const payload = isObject(event.detail) ? (event.detail.requestPayload as unknown) : undefined;
  return planInvoke(message, failedFunctionArn(event), payload);
}

function planPutEvent(original: EventEnvelope & { source: string; 'detail-type': string }, resources: unknown[] | undefined): RedeliveryPlan {
  if (original.source.startsWith('aws.')) {
    return skip(`events of AWS sources (${original.source}) cannot be put again by PutEvents`);
  }
  const entry: PutEventsRequestEntry = {
    EventBusName: 'default',
    Source: original.source,
    DetailType: original['detail-type'],
    Detail: JSON.stringify(original.detail ?? {}),
    Resources: resources?.length ? resources.filter((r): r is string => typeof r === 'string') : undefined,
    Time: typeof original.time === 'string' && !Number.isNaN(Date.parse(original.time)) ? new Date(original.time) : undefined,
  };
  const bytes = Buffer.byteLength(JSON.stringify(entry));
  if (bytes > MAX_ENTRY_BYTES) return skip(`the event is ${bytes} bytes, over PutEvents' 256 KB limit`);
  return { kind: 'put-event', entry };
}

function planInvoke(message: FailureMessage, functionArn: string | undefined, payload: unknown): RedeliveryPlan {
  const arn = functionArn === undefined ? undefined : LAMBDA_ARN.exec(functionArn);
  if (!functionArn || !arn) return skip(`the failure record names no function to invoke again (requestContext.functionArn is ${JSON.stringify(functionArn)})`);
  const [, region, account] = arn;
  const mismatch = ownedHere(message, 'the function', functionArn, account, region);
  if (mismatch) return mismatch;
  if (payload === undefined) return skip('the failure record holds no requestPayload to invoke the function with');
  const text = JSON.stringify(payload);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_ASYNC_PAYLOAD_BYTES) return skip(`the payload is ${bytes} bytes, over the 1 MB limit of an asynchronous invocation`);
  return { kind: 'invoke', functionArn, region, payload: text };
}

function planRestart(message: FailureMessage): RedeliveryPlan {
  const detail = message.event?.detail;
  const executionArn = isObject(detail) && typeof detail.executionId === 'string' ? detail.executionId : undefined;
  const stateMachineArn = isObject(detail) && typeof detail.stateMachineId === 'string' ? detail.stateMachineId : undefined;
  const execution = executionArn === undefined ? undefined : EXECUTION_ARN.exec(executionArn);
  const machine = stateMachineArn === undefined ? undefined : STATE_MACHINE_ARN.exec(stateMachineArn);
  if (!executionArn || !execution || !stateMachineArn || !machine) {
    return skip(`the Workflow Failed event names no execution and state machine to start again (detail.executionId ${JSON.stringify(executionArn)}, detail.stateMachineId ${JSON.stringify(stateMachineArn)})`);
  }
  const mismatch = ownedHere(message, 'the execution', executionArn, execution[2], execution[1]) ?? ownedHere(message, 'the state machine', stateMachineArn, machine[2], machine[1]);
  if (mismatch) return mismatch;
  const eventId = message.event?.id;
  if (typeof eventId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(eventId)) {
    return skip(`the event has no usable id (${JSON.stringify(eventId)}) to name the new execution after, so a second redrive could start it twice`);
  }
  return { kind: 'restart-execution', executionArn, stateMachineArn, region: execution[1], executionName: `redrive-${eventId}` };
}

/** A skip when the ARN is not in the tenant's account and the envelope's region (after the isolation checks it always is). */
function ownedHere(message: FailureMessage, what: string, arn: string, account: string, region: string): RedeliveryPlan | undefined {
  if (account !== message.tenant || arnAccount(arn) !== message.tenant) return skip(`${what} ${arn} is not in the tenant's account ${message.tenant}`);
  if (region !== message.region) return skip(`${what} ${arn} is not in the envelope's region ${message.region}`);
  return undefined;
}

function skip(reason: string): RedeliveryPlan {
  return { kind: 'skip', reason };
}

function isOriginalEvent(value: unknown): value is EventEnvelope & { source: string; 'detail-type': string } {
  return isObject(value) && typeof value.source === 'string' && value.source !== '' && typeof value['detail-type'] === 'string' && 'detail' in value;
}
