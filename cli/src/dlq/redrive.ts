import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DlqQueue } from './dlq-queue';
import { FailureMessage, QUARANTINE_ATTRIBUTES } from './failure-message';

export { QUARANTINE_ATTRIBUTES } from './failure-message';
import { RateLimiter } from './rate-limiter';
import { planRedelivery, RedeliveryPlan } from './redelivery';
import { TenantAccess, TenantClients } from './tenant-access';

export interface RedriveOptions {
  /** Only this tenant's messages are redriven (messages without an envelope account are quarantined on the way). */
  readonly tenant: string;
  /** Only this message. @default - every message of the tenant */
  readonly messageId?: string;
  /** Decide and report, change nothing: no delivery, no delete, no quarantine, no AssumeRole. */
  readonly dryRun: boolean;
  /** At most this many messages acted on (redelivered, quarantined or failed). */
  readonly max: number;
  /** Where quarantined messages are moved. @default - they stay in the DLQ, never redriven */
  readonly quarantineQueueUrl?: string;
}

export interface RedriveDeps {
  readonly queue: DlqQueue;
  readonly access: TenantAccess;
  readonly limiter: RateLimiter;
}

/** What happened to one message. */
export type RedriveResult =
  | 'redelivered' // delivered into its tenant account, then deleted
  | 'redelivered-not-deleted' // delivered, but the delete failed: it stays and may be delivered again
  | 'failed' // delivery failed: it stays in the DLQ
  | 'skipped' // nothing to redeliver: it stays in the DLQ
  | 'quarantined' // moved to the quarantine queue
  | 'quarantine-copied-not-deleted' // copied to the quarantine queue, the delete failed: it is in both
  | 'quarantine-failed' // the copy failed: it stays in the DLQ, not redriven
  | 'quarantined-in-place' // no quarantine queue given: it stays in the DLQ, not redriven
  | 'would-redeliver'
  | 'would-quarantine';

export interface RedriveOutcome {
  readonly messageId: string;
  /** The envelope account, when there is one. */
  readonly tenant?: string;
  readonly result: RedriveResult;
  readonly reason?: string;
  /** What the redelivery created: `event <id>`, `invocation <request id>` or `execution <arn>`. */
  readonly deliveredAs?: string;
}

export interface RedriveReport {
  readonly outcomes: RedriveOutcome[];
  /** Messages of other tenants seen (and released untouched). */
  readonly otherTenants: number;
}

/**
 * Delivers a tenant's failed events back into that tenant's account, one at a time.
 *
 * The rules, in the order they are checked for each message:
 * 1. The tenant is the envelope account (`FailureMessage.tenant`); a message of another tenant
 *    is left alone.
 * 2. A message with no envelope account, or whose payload names another account, is
 *    quarantined (moved to the quarantine queue: copied, then deleted), never redelivered.
 * 3. Delivery goes through the tenant's own role (`TenantAccess`), to the region of the envelope,
 *    on that account's default bus.
 * 4. A message is deleted only after PutEvents accepted its event (FailedEntryCount 0 and an
 *    EventId); anything else leaves it in the queue.
 */
export async function redrive(options: RedriveOptions, deps: RedriveDeps): Promise<RedriveReport> {
  const outcomes: RedriveOutcome[] = [];
  let otherTenants = 0;
  try {
    for await (const message of deps.queue.scan()) {
      if (outcomes.length >= options.max) break;
      if (options.messageId !== undefined && message.messageId !== options.messageId) continue;
      const isTenants = message.tenant === options.tenant;
      const hasNoTenant = message.tenant === undefined;
      if (!isTenants && !hasNoTenant) {
        otherTenants++;
        continue;
      }
      if (message.quarantine) {
        outcomes.push(await quarantine(message, options, deps.queue));
      } else if (isTenants) {
        outcomes.push(await redeliver(message, options, deps));
      }
      if (options.messageId !== undefined) break;
      // A slow --rate must not let the messages held so far come back to the queue mid-run.
      await deps.queue.keepAlive();
    }
  } finally {
    await deps.queue.releaseAll();
  }
  return { outcomes, otherTenants };
}

async function quarantine(message: FailureMessage, options: RedriveOptions, queue: DlqQueue): Promise<RedriveOutcome> {
  const reason = message.quarantine!.reason;
  const base = { messageId: message.messageId, tenant: message.tenant, reason };
  if (options.dryRun) return { ...base, result: 'would-quarantine' };
  if (!options.quarantineQueueUrl) return { ...base, result: 'quarantined-in-place' };
  try {
    await queue.copyTo(options.quarantineQueueUrl, message, {
      [QUARANTINE_ATTRIBUTES.REASON]: reason.slice(0, 1000),
      [QUARANTINE_ATTRIBUTES.CODE]: message.quarantine!.code,
      [QUARANTINE_ATTRIBUTES.ENVELOPE_ACCOUNT]: message.tenant ?? 'none',
      [QUARANTINE_ATTRIBUTES.SOURCE_QUEUE]: queue.url,
    });
  } catch (error) {
    return { ...base, result: 'quarantine-failed', reason: `${reason}; copying to the quarantine queue failed: ${(error as Error).message}` };
  }
  try {
    await queue.delete(message);
  } catch (error) {
    return { ...base, result: 'quarantine-copied-not-deleted', reason: `${reason}; deleting it from the DLQ failed: ${(error as Error).message}` };
  }
  return { ...base, result: 'quarantined' };
}

async function redeliver(message: FailureMessage, options: RedriveOptions, deps: RedriveDeps): Promise<RedriveOutcome> {
  const tenant = message.tenant!;
  const base = { messageId: message.messageId, tenant };
  const plan = planRedelivery(message);
  if (plan.kind === 'skip') return { ...base, result: 'skipped', reason: plan.reason };
  if (options.dryRun) return { ...base, result: 'would-redeliver', reason: describePlan(plan) };
  // Belt and braces: the only account this run may deliver into is the one asked for, and it
  // is the envelope account of this message.
  if (tenant !== options.tenant) throw new Error(`internal: message ${message.messageId} of ${tenant} reached delivery in a redrive of ${options.tenant}`);

  await deps.limiter.take({ sliceMs: deps.queue.keepAliveIntervalMs, run: () => deps.queue.keepAlive() });
  let deliveredAs: string;
  try {
    const clients = await deps.access.clients(tenant, message.region!);
    deliveredAs = await deliver(plan, clients);
  } catch (error) {
    return { ...base, result: 'failed', reason: (error as Error).message };
  }
  try {
    await deps.queue.delete(message);
  } catch (error) {
    return { ...base, result: 'redelivered-not-deleted', deliveredAs, reason: `delivered, but deleting it failed (${(error as Error).message}); the next redrive delivers it again${plan.kind === 'restart-execution' ? ' (the same execution name: Step Functions does not start it twice)' : ''}` };
  }
  return { ...base, result: 'redelivered', deliveredAs };
}

/** One line saying what a plan would do (the dry run prints it). */
function describePlan(plan: Exclude<RedeliveryPlan, { kind: 'skip' }>): string {
  switch (plan.kind) {
    case 'put-event': return `put the original ${JSON.stringify(plan.entry.DetailType)} event on the default bus`;
    case 'invoke': return `invoke ${plan.functionArn} asynchronously with the failed payload`;
    case 'restart-execution': return `start ${plan.stateMachineArn} as ${plan.executionName} with the input of ${plan.executionArn}`;
  }
}

/** Performs the plan with the tenant's clients; resolves with what it created, throws with the reason when AWS did not accept it. */
async function deliver(plan: Exclude<RedeliveryPlan, { kind: 'skip' }>, clients: TenantClients): Promise<string> {
  switch (plan.kind) {
    case 'put-event': {
      const response = await clients.eventBridge.send(new PutEventsCommand({ Entries: [plan.entry] }));
      const entry = response.Entries?.[0];
      if (response.FailedEntryCount !== 0 || !entry?.EventId) {
        throw new Error(`PutEvents did not accept the event (FailedEntryCount ${response.FailedEntryCount}, ${entry?.ErrorCode ?? 'no EventId'}${entry?.ErrorMessage ? `: ${entry.ErrorMessage}` : ''})`);
      }
      return `event ${entry.EventId}`;
    }
    case 'invoke': {
      const response = await clients.lambda.send(new InvokeCommand({ FunctionName: plan.functionArn, InvocationType: 'Event', Payload: Buffer.from(plan.payload) }));
      // An asynchronous invocation is queued when Lambda answers 202, and only then.
      if (response.StatusCode !== 202) throw new Error(`Invoke of ${plan.functionArn} answered ${response.StatusCode}, not 202 (queued)${response.FunctionError ? `: ${response.FunctionError}` : ''}`);
      return `invocation ${response.$metadata?.requestId ?? '(no request id)'} of ${plan.functionArn}`;
    }
    case 'restart-execution': {
      const failed = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: plan.executionArn }));
      if (failed.stateMachineArn !== plan.stateMachineArn) {
        throw new Error(`${plan.executionArn} belongs to ${failed.stateMachineArn}, not to ${plan.stateMachineArn} as the failure event says; nothing started`);
      }
      if (failed.input === undefined) throw new Error(`${plan.executionArn} has no input to start again with (inputDetails.included is false: over 256 KB); nothing started`);
      let started;
      try {
        started = await clients.sfn.send(new StartExecutionCommand({ stateMachineArn: plan.stateMachineArn, name: plan.executionName, input: failed.input }));
      } catch (error) {
        if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
        // Started by an earlier redrive that could not delete the message, and closed since: Step
        // Functions returns the running execution for the same name and input, but refuses a closed one.
        const earlierArn = `${plan.stateMachineArn.replace(':stateMachine:', ':execution:')}:${plan.executionName}`;
        const earlier = await clients.sfn.send(new DescribeExecutionCommand({ executionArn: earlierArn }));
        if (earlier.input !== failed.input) throw new Error(`${earlierArn} exists with another input; nothing started. Fix: look at it in the tenant account, then purge or keep this message`);
        return `execution ${earlierArn} (started by an earlier redrive)`;
      }
      if (!started.executionArn) throw new Error(`StartExecution of ${plan.stateMachineArn} returned no execution ARN`);
      return `execution ${started.executionArn}`;
    }
  }
}
