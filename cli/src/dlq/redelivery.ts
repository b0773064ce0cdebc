import { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventEnvelope, failedFunctionArn, FailureMessage, isObject } from './failure-message';

/** How a message is delivered back into its tenant account, or why it cannot be. */
export type RedeliveryPlan =
  | { readonly entry: PutEventsRequestEntry; readonly skip?: undefined }
  | { readonly entry?: undefined; readonly skip: string };

/** PutEvents refuses entries over 256 KB. */
const MAX_ENTRY_BYTES = 256 * 1024;

/**
 * The event to put on the tenant's `default` bus so the tenant's own rules deliver it again.
 *
 * A Lambda on-failure record carries the event the function was invoked with
 * (`detail.requestPayload`); when that is an EventBridge event (the fleet's functions are
 * invoked asynchronously by EventBridge rules), it is put back unchanged with the failed
 * function's ARN in `resources`. Every rule that matches it runs again, not only the failed
 * function's: consumers must be idempotent (EventBridge is at-least-once anyway).
 *
 * Not redelivered (left in the queue, with the reason): `Workflow Failed` events (a failed
 * execution is redriven by Step Functions `RedriveExecution`, which needs `@aws-sdk/client-sfn`),
 * records whose payload is not an EventBridge event (they would need a direct re-invoke with
 * `@aws-sdk/client-lambda`), events of AWS sources (`aws.*` cannot be put), oversized events.
 */
export function planRedelivery(message: FailureMessage): RedeliveryPlan {
  const event = message.event;
  if (message.kind === 'workflow-failed') {
    return { skip: 'a failed execution is redriven with Step Functions RedriveExecution, which fleet dlq does not do yet' };
  }
  if (message.kind !== 'lambda-failure' || !event) {
    return { skip: `not a Lambda failure record (source ${JSON.stringify(event?.source)}, detail-type ${JSON.stringify(event?.['detail-type'])}): nothing to redeliver` };
  }
  const original = isObject(event.detail) ? (event.detail.requestPayload as unknown) : undefined;
  if (!isOriginalEvent(original)) {
    return { skip: 'the failed invocation\'s payload is not an EventBridge event; it needs a direct re-invoke, which fleet dlq does not do yet' };
  }
  if (original.source.startsWith('aws.')) {
    return { skip: `events of AWS sources (${original.source}) cannot be put again` };
  }
  const functionArn = failedFunctionArn(event);
  const entry: PutEventsRequestEntry = {
    EventBusName: 'default',
    Source: original.source,
    DetailType: original['detail-type'],
    Detail: JSON.stringify(original.detail ?? {}),
    Resources: functionArn ? [functionArn] : undefined,
    Time: typeof original.time === 'string' && !Number.isNaN(Date.parse(original.time)) ? new Date(original.time) : undefined,
  };
  const bytes = Buffer.byteLength(JSON.stringify(entry));
  if (bytes > MAX_ENTRY_BYTES) {
    return { skip: `the event is ${bytes} bytes, over PutEvents' 256 KB limit` };
  }
  return { entry };
}

function isOriginalEvent(value: unknown): value is EventEnvelope & { source: string; 'detail-type': string } {
  return isObject(value) && typeof value.source === 'string' && value.source !== '' && typeof value['detail-type'] === 'string' && 'detail' in value;
}
