import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { FailureMessage, isTenantDeadLetterQueue, readFailureMessage } from './failure-message';

export interface DlqQueueOptions {
  /**
   * How long a received message stays hidden from other readers while this run works on it.
   * @default 60
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Long polling per receive: an empty answer then means the queue is empty, not that the
   * sampled servers were.
   * @default 1
   */
  readonly waitTimeSeconds?: number;
}

/** SQS allows at most 10 custom attributes per message. */
const MAX_MESSAGE_ATTRIBUTES = 10;

/**
 * The central DLQ (or any queue of the failure path) as `fleet dlq` reads it: a scan that sees
 * each message once, deletes by receipt handle, and releases what it did not delete so other
 * operators see it again at once.
 */
export class DlqQueue {
  private readonly received = new Map<string, FailureMessage>();
  private readonly deleted = new Set<string>();

  /** Read strictly, as the queue of tenant rules' dead letters (known by its name). */
  public readonly tenantDeadLetters: boolean;

  constructor(private readonly sqs: SQSClient, public readonly url: string, private readonly options: DlqQueueOptions = {}) {
    this.tenantDeadLetters = isTenantDeadLetterQueue(url);
  }

  /** Every message of the queue, once each, until the queue has no message this scan has not seen. */
  public async *scan(): AsyncGenerator<FailureMessage> {
    let emptyAnswers = 0;
    while (emptyAnswers < 2) {
      const response = await this.sqs.send(new ReceiveMessageCommand({
        QueueUrl: this.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: this.options.visibilityTimeoutSeconds ?? 60,
        WaitTimeSeconds: this.options.waitTimeSeconds ?? 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }));
      const fresh = (response.Messages ?? []).filter((m) => m.MessageId && !this.received.has(m.MessageId));
      if (fresh.length === 0) {
        emptyAnswers++;
        continue;
      }
      emptyAnswers = 0;
      // Remember the whole batch before yielding any of it: a caller that stops early must
      // still have the rest released.
      const batch = fresh.map((m) => readFailureMessage(m, { tenantDeadLetters: this.tenantDeadLetters }));
      for (const message of batch) this.received.set(message.messageId, message);
      yield* batch;
    }
  }

  /** Deletes one message. Throws the SQS error. */
  public async delete(message: FailureMessage): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: message.receiptHandle }));
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
    const pending = [...this.received.values()].filter((m) => !this.deleted.has(m.messageId));
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
