import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { FailureMessage, isTenantDeadLetterQueue, readFailureMessage } from './failure-message';
import { Clock, SYSTEM_CLOCK } from './rate-limiter';

export interface DlqQueueOptions {
  /**
   * How long a received message stays hidden from other readers while this run works on it.
   * The scan extends it while it runs (`keepAlive`), so a message does not come back mid-run.
   * @default 60
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Long polling per receive: SQS then asks all its servers, not a sample, so empty answers
   * while messages wait are rare ("Amazon SQS short and long polling").
   * @default 1
   */
  readonly waitTimeSeconds?: number;
  /** Time, to know when held messages need their visibility extended. @default SYSTEM_CLOCK */
  readonly clock?: Clock;
  /**
   * At most this many messages held (received, not deleted) at once. SQS allows about 120,000
   * in flight per standard queue, and past that a long poll answers empty without an error
   * ("Amazon SQS message quotas"); staying below leaves room for other readers and makes the
   * limit a reported reason instead of a silent empty answer.
   * @default 100_000
   */
  readonly maxHeld?: number;
  /**
   * Receives in a row that bring nothing new while SQS still counts visible messages, before
   * the scan gives up and says so (sampled servers, or the in-flight limit reached by others).
   * @default 10
   */
  readonly maxFruitlessReceives?: number;
}

/** How a scan ended: whether it saw every message of the queue it could reach, and if not why. */
export interface ScanReport {
  /** True when the queue had no visible message this scan had not seen when it stopped. */
  readonly complete: boolean;
  /** Distinct messages seen. */
  readonly seen: number;
  /** Receives that returned messages already seen (their visibility had ended). */
  readonly reReceived: number;
  /** Why the scan stopped before seeing every message. */
  readonly reason?: string;
  /** Messages hidden by other readers when the scan ended (SQS's count of in-flight messages, less this run's). */
  readonly hiddenByOthers?: number;
  /** The queue's redrive policy, when it has one: every receive counts toward it. */
  readonly maxReceiveCount?: number;
}

/** SQS allows at most 10 custom attributes per message. */
const MAX_MESSAGE_ATTRIBUTES = 10;

interface Held {
  message: FailureMessage;
  /** Until when (ms on the clock) SQS hides it for this run, as far as this run knows. */
  hiddenUntil: number;
}

/**
 * The central DLQ (or any queue of the failure path) as `fleet dlq` reads it: a scan that sees
 * each message once, deletes by the latest receipt handle, and releases what it did not delete
 * so other operators see it again at once.
 *
 * The end condition. SQS cannot be asked for "the next message": every receive returns up to 10
 * of the visible messages, sampled, possibly none. So the scan holds every message it received
 * (hidden, its visibility extended while the run goes on) and knows them by id; a message it
 * receives again (its visibility ended anyway) is held again with its new receipt handle, not
 * yielded twice. It stops when a receive brings nothing new and SQS counts no visible message
 * (`ApproximateNumberOfMessages` 0), confirmed by one more empty receive: then every message
 * of the queue is either seen by this scan, deleted, or hidden by another reader (counted in
 * the report). It stops short, saying why (`ScanReport.reason`), when it holds `maxHeld`
 * messages, when SQS refuses with `OverLimit`, or after `maxFruitlessReceives` receives in a
 * row with nothing new although messages are visible.
 */
export class DlqQueue {
  private readonly held = new Map<string, Held>();
  private readonly deleted = new Set<string>();
  private readonly clock: Clock;
  private readonly visibilityMs: number;
  private lastReport?: ScanReport;

  /** Read strictly, as the queue of tenant rules' dead letters (known by its name). */
  public readonly tenantDeadLetters: boolean;

  constructor(private readonly sqs: SQSClient, public readonly url: string, private readonly options: DlqQueueOptions = {}) {
    this.tenantDeadLetters = isTenantDeadLetterQueue(url);
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.visibilityMs = (options.visibilityTimeoutSeconds ?? 60) * 1000;
  }

  /** How the last scan ended (undefined while it runs or when it was stopped early by its caller). */
  public get report(): ScanReport | undefined {
    return this.lastReport;
  }

  /** Every message of the queue, once each, until the queue has no visible message this scan has not seen. */
  public async *scan(): AsyncGenerator<FailureMessage> {
    this.lastReport = undefined;
    const maxHeld = this.options.maxHeld ?? 100_000;
    const maxFruitless = this.options.maxFruitlessReceives ?? 10;
    const policy = await this.attributes(['RedrivePolicy']);
    const maxReceiveCount = receiveLimit(policy.RedrivePolicy);
    let fruitless = 0;
    let reReceived = 0;
    let confirming = false;
    const end = async (complete: boolean, reason?: string): Promise<void> => {
      const counts = await this.attributes(['ApproximateNumberOfMessagesNotVisible']).catch(() => ({} as Record<string, string>));
      const hidden = Number(counts.ApproximateNumberOfMessagesNotVisible ?? 0) - this.holding();
      this.lastReport = { complete, seen: this.held.size, reReceived, reason, hiddenByOthers: Math.max(0, hidden), maxReceiveCount };
    };
    for (;;) {
      await this.keepAlive();
      if (this.holding() >= maxHeld) {
        await end(false, `this run holds ${this.holding()} messages unfinished, its limit (SQS allows about 120,000 in flight per standard queue)`);
        return;
      }
      // SQS starts the visibility timeout after this moment, so a message received now is hidden
      // at least until requestedAt + the timeout: the scan's belief never outlasts SQS's.
      const requestedAt = this.clock.now();
      let response;
      try {
        response = await this.sqs.send(new ReceiveMessageCommand({
          QueueUrl: this.url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: this.visibilityMs / 1000,
          WaitTimeSeconds: this.options.waitTimeSeconds ?? 1,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        }));
      } catch (error) {
        if ((error as Error).name !== 'OverLimit') throw error;
        await end(false, `SQS returns no more messages (OverLimit: the queue's in-flight limit is reached; this run holds ${this.holding()})`);
        return;
      }
      const fresh: FailureMessage[] = [];
      const comingBack = this.possiblyVisible();
      for (const m of response.Messages ?? []) {
        if (!m.MessageId || this.deleted.has(m.MessageId)) continue;
        const message = readFailureMessage(m, { tenantDeadLetters: this.tenantDeadLetters });
        const known = this.held.get(m.MessageId);
        // Held again under its new receipt handle: only the latest one deletes it.
        this.held.set(m.MessageId, { message, hiddenUntil: requestedAt + this.visibilityMs });
        if (known) reReceived++;
        else fresh.push(message);
      }
      if (fresh.length > 0) {
        fruitless = 0;
        confirming = false;
        // Every message of the batch is held before any is yielded: a caller that stops early
        // must still have the rest released.
        yield* fresh;
        continue;
      }
      const visible = Number((await this.attributes(['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages ?? 0);
      if (visible === 0) {
        // One more receive confirms: SQS's counts are approximate.
        if (confirming) {
          await end(true);
          return;
        }
        confirming = true;
        continue;
      }
      confirming = false;
      if (reReceived > 10 * (this.held.size + 10)) {
        await end(false, `the messages this run holds kept coming back (${reReceived} receives of messages already seen: their visibility could not be extended)`);
        return;
      }
      // Messages of this run that came back, while some of its others may be visible too, are
      // progress (held again), not a sign that SQS hides the rest.
      const reHeld = (response.Messages ?? []).length > 0 && comingBack > 0;
      fruitless = reHeld ? 0 : fruitless + 1;
      if (fruitless >= maxFruitless) {
        await end(false, `${fruitless} receives in a row brought nothing new while SQS counts about ${visible} visible messages (hidden from this run by SQS's sampling, or its in-flight limit reached with ${this.holding()} held by this run)`);
        return;
      }
    }
  }

  /**
   * Extends the visibility of every held message that would soon be visible again, so a long
   * run (a slow `--rate`) does not see its own messages come back. Best effort: a message whose
   * extension fails may be received again, and the scan knows it by its id.
   */
  public async keepAlive(): Promise<void> {
    const now = this.clock.now();
    // Only what is still hidden can be extended; what is visible again comes back with a receive.
    const due = [...this.held.entries()].filter(([id, h]) => !this.deleted.has(id) && h.hiddenUntil > now && h.hiddenUntil - now <= this.visibilityMs / 2);
    for (let i = 0; i < due.length; i += 10) {
      const batch = due.slice(i, i + 10);
      let failed = new Map<string, string>();
      try {
        const response = await this.sqs.send(new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.url,
          Entries: batch.map(([, h], j) => ({ Id: String(j), ReceiptHandle: h.message.receiptHandle, VisibilityTimeout: this.visibilityMs / 1000 })),
        }));
        failed = new Map((response?.Failed ?? []).map((f) => [f.Id!, f.Code ?? '']));
      } catch {
        failed = new Map(batch.map((_, j) => [String(j), '']));
      }
      batch.forEach(([, h], j) => {
        const code = failed.get(String(j));
        // Not in flight any more: visible again. Any other failure: the old timeout still runs.
        if (code === undefined) h.hiddenUntil = now + this.visibilityMs;
        else if (code === 'MessageNotInflight') h.hiddenUntil = now;
      });
    }
  }

  /** How often `keepAlive` must run for no held message to come back: a third of the visibility timeout. */
  public get keepAliveIntervalMs(): number {
    return this.visibilityMs / 3;
  }

  /** Messages of this run that may be visible again (their visibility may have ended). */
  private possiblyVisible(): number {
    const now = this.clock.now();
    let n = 0;
    for (const [id, h] of this.held) if (!this.deleted.has(id) && h.hiddenUntil <= now) n++;
    return n;
  }

  /** Messages this run holds: received, not deleted. */
  private holding(): number {
    return this.held.size - this.deleted.size;
  }

  private async attributes(names: string[]): Promise<Record<string, string>> {
    const response = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.url, AttributeNames: names as any }));
    return response?.Attributes ?? {};
  }

  /** Deletes one message. Throws the SQS error. */
  public async delete(message: FailureMessage): Promise<void> {
    // The latest receipt handle: with an older one SQS may answer success and keep the message.
    const receiptHandle = this.held.get(message.messageId)?.message.receiptHandle ?? message.receiptHandle;
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: receiptHandle }));
    this.deleted.add(message.messageId);
  }

  /** Copies a message to another queue, body unchanged, attributes kept plus `extra`. Throws the SQS error. */
  public async copyTo(queueUrl: string, message: FailureMessage, extra: Record<string, string>): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(extra)) attributes[name] = { DataType: 'String', StringValue: value };
    for (const [name, value] of Object.entries(message.attributes)) {
      if (Object.keys(attributes).length >= MAX_MESSAGE_ATTRIBUTES) break;
      if (!(name in attributes) && value !== '') attributes[name] = { DataType: 'String', StringValue: value };
    }
    await this.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message.body, MessageAttributes: attributes }));
  }

  /**
   * Makes every message this run received and did not delete visible again. Best effort: a
   * message that is not released reappears by itself after the visibility timeout.
   */
  public async releaseAll(): Promise<void> {
    const pending = [...this.held.values()].map((h) => h.message).filter((m) => !this.deleted.has(m.messageId));
    for (let i = 0; i < pending.length; i += 10) {
      const batch = pending.slice(i, i + 10);
      try {
        await this.sqs.send(new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.url,
          Entries: batch.map((m, j) => ({ Id: String(j), ReceiptHandle: m.receiptHandle, VisibilityTimeout: 0 })),
        }));
      } catch {
        // They come back after the visibility timeout.
      }
    }
  }
}

/** The region of a queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
export function queueRegion(url: string): string | undefined {
  return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(url)?.[1]
    ?? /^https:\/\/([a-z0-9-]+)\.queue\.amazonaws\.com(\.cn)?\//.exec(url)?.[1];
}

/** `maxReceiveCount` of a queue's `RedrivePolicy` attribute, when it has one. */
function receiveLimit(policy: string | undefined): number | undefined {
  if (!policy) return undefined;
  try {
    const value = Number(JSON.parse(policy).maxReceiveCount);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
