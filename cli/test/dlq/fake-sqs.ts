/**
 * An in-memory SQS standard queue with the behaviour `fleet dlq` must survive, on a fake clock:
 *
 * - Visibility timeout: a received message is hidden until `VisibilityTimeout` seconds pass on
 *   the clock, then it is visible again and is received again (a re-receive).
 * - `ApproximateReceiveCount` grows by one on every receive, and nothing lowers it
 *   (ChangeMessageVisibility does not).
 * - A redrive policy: the receive that would take the count past `maxReceiveCount` moves the
 *   message, with its id, to the dead-letter queue instead of returning it ("Using dead-letter
 *   queues in Amazon SQS").
 * - The in-flight limit, about 120,000 received-but-not-deleted messages for a standard queue:
 *   past it a short poll fails with `OverLimit`, a long poll answers empty without an error
 *   ("Amazon SQS message quotas", messages per queue in flight).
 * - At most 10 messages per receive, often fewer, sampled in no particular order; and empty
 *   answers while messages are visible: short polling samples a subset of the servers ("Amazon
 *   SQS short and long polling"). `maxSpuriousEmpties` bounds how many in a row a queue gives
 *   (repeated polls reach every server), the assumption the scan's end condition rests on.
 * - Every receive issues a new receipt handle. Delete and ChangeMessageVisibility act only with
 *   the latest one: an older handle's delete succeeds without deleting (DeleteMessage API
 *   reference), an older handle's visibility change fails.
 * - `ApproximateNumberOfMessages` (visible) and `ApproximateNumberOfMessagesNotVisible` (in
 *   flight) from GetQueueAttributes, exact here.
 */
import { Clock } from '../../src/dlq/rate-limiter';
import { SeededRandom } from '@fleet/workflows/local';

/** A clock whose sleeps return at once and advance time. */
export class FakeClock implements Clock {
  public time = 1_700_000_000_000;
  public slept = 0;
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
    this.slept += ms;
  }
}

/** Deterministic random numbers from the runtime's seeded source, so a property test's seed decides every sample. */
export function seededRandom(seed: number): () => number {
  const source = new SeededRandom(seed);
  return () => source.next();
}

export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly sentAt: number;
  receiveCount: number;
  /** The latest receipt handle; older ones are in `staleReceipts`. */
  receipt?: string;
  readonly staleReceipts: Set<string>;
  /** Hidden until this time (ms on the clock); visible when it has passed. */
  visibleAt: number;
}

export interface FakeQueueOptions {
  /** Messages received and not deleted that the queue allows at once. @default 120_000 */
  readonly inFlightLimit?: number;
  /** `{ targetUrl, maxReceiveCount }`: SQS moves a message there past maxReceiveCount receives. */
  readonly redrive?: { readonly targetUrl: string; readonly maxReceiveCount: number };
}

export interface FakeSqsBehaviour {
  /** Chance that a receive answers empty although messages are visible. @default 0 */
  readonly emptyChance?: number;
  /** At most this many such empty answers in a row. @default 0 */
  readonly maxSpuriousEmpties?: number;
  /** Shuffle and shorten the batches (real SQS order and sizes). @default false: oldest first, full batches */
  readonly sample?: boolean;
  /** Time one call takes on the clock, ms. @default 0 */
  readonly latencyMs?: number;
  /** Chance that a visibility change fails (a lost request): the message comes back when its visibility ends. @default 0 */
  readonly visibilityChangeFailChance?: number;
  readonly random?: () => number;
}

export class FakeQueue {
  public readonly messages = new Map<string, StoredMessage>();
  public spuriousInARow = 0;
  constructor(public readonly url: string, public options: FakeQueueOptions = {}) {}
}

/** The SQS error shapes the SDK would raise. */
export function sqsError(name: string, message: string): Error {
  const error = new Error(`${name}: ${message}`);
  error.name = name;
  return error;
}

export class FakeSqs {
  public readonly queues = new Map<string, FakeQueue>();
  /** Every receive's answer size, for the figures. */
  public receives = 0;
  public emptyReceives = 0;
  private receiptSeq = 0;

  constructor(public readonly clock: FakeClock, public behaviour: FakeSqsBehaviour = {}) {}

  public createQueue(url: string, options: FakeQueueOptions = {}): FakeQueue {
    const queue = new FakeQueue(url, options);
    this.queues.set(url, queue);
    return queue;
  }

  public queue(url: string): FakeQueue {
    const queue = this.queues.get(url);
    if (!queue) throw sqsError('AWS.SimpleQueueService.NonExistentQueue', url);
    return queue;
  }

  public add(url: string, id: string, body: string, attributes: Record<string, string> = {}): void {
    this.queue(url).messages.set(id, { id, body, attributes, sentAt: this.clock.now(), receiveCount: 0, staleReceipts: new Set(), visibleAt: 0 });
  }

  private tick(): number {
    this.clock.time += this.behaviour.latencyMs ?? 0;
    return this.clock.now();
  }

  private random(): number {
    return (this.behaviour.random ?? Math.random)();
  }

  public inFlight(queue: FakeQueue, now = this.clock.now()): number {
    let n = 0;
    for (const m of queue.messages.values()) if (m.visibleAt > now) n++;
    return n;
  }

  public receive(input: { QueueUrl: string; MaxNumberOfMessages?: number; VisibilityTimeout?: number; WaitTimeSeconds?: number }): any {
    const queue = this.queue(input.QueueUrl);
    const max = input.MaxNumberOfMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) throw sqsError('InvalidParameterValue', `MaxNumberOfMessages must be 1 to 10, got ${max}`);
    const visibility = input.VisibilityTimeout ?? 30;
    if (visibility < 0 || visibility > 43_200) throw sqsError('InvalidParameterValue', `VisibilityTimeout must be 0 to 43200, got ${visibility}`);
    const longPoll = (input.WaitTimeSeconds ?? 0) > 0;
    const now = this.tick();
    this.receives++;
    const empty = () => {
      this.emptyReceives++;
      // A long poll that finds nothing waits its whole wait time.
      if (longPoll) this.clock.time += input.WaitTimeSeconds! * 1000;
      return { Messages: [] };
    };
    if (this.inFlight(queue, now) >= (queue.options.inFlightLimit ?? 120_000)) {
      if (!longPoll) throw sqsError('OverLimit', 'the maximum number of in flight messages is reached');
      return empty();
    }
    let visible = [...queue.messages.values()].filter((m) => m.visibleAt <= now);
    if (visible.length === 0) return empty();
    if (this.spurious(queue)) return empty();
    let take = Math.min(max, visible.length);
    if (this.behaviour.sample) {
      visible = shuffle(visible, () => this.random());
      take = 1 + Math.floor(this.random() * take);
    }
    // Otherwise oldest first: the Map keeps the order messages were added in.
    const returned = [];
    for (const m of visible.slice(0, take)) {
      m.receiveCount++;
      const redrive = queue.options.redrive;
      if (redrive && m.receiveCount > redrive.maxReceiveCount) {
        // SQS moves it instead of returning it; the id and the enqueue time stay.
        queue.messages.delete(m.id);
        this.queue(redrive.targetUrl).messages.set(m.id, { ...m, receipt: undefined, staleReceipts: new Set(), visibleAt: 0 });
        continue;
      }
      if (m.receipt) m.staleReceipts.add(m.receipt);
      m.receipt = `rh-${++this.receiptSeq}-${m.id}`;
      m.visibleAt = now + visibility * 1000;
      returned.push({
        MessageId: m.id,
        ReceiptHandle: m.receipt,
        Body: m.body,
        Attributes: { SentTimestamp: String(m.sentAt), ApproximateReceiveCount: String(m.receiveCount) },
        MessageAttributes: Object.keys(m.attributes).length === 0 ? undefined
          : Object.fromEntries(Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
      });
    }
    if (returned.length === 0) return empty();
    return { Messages: returned };
  }

  private spurious(queue: FakeQueue): boolean {
    const limit = this.behaviour.maxSpuriousEmpties ?? 0;
    if (queue.spuriousInARow < limit && this.random() < (this.behaviour.emptyChance ?? 0)) {
      queue.spuriousInARow++;
      return true;
    }
    queue.spuriousInARow = 0;
    return false;
  }

  /** Deletes by the latest receipt handle; an older handle of the message succeeds without deleting (as SQS may). */
  public delete(url: string, receiptHandle: string): StoredMessage | undefined {
    const queue = this.queue(url);
    this.tick();
    for (const m of queue.messages.values()) {
      if (m.receipt === receiptHandle) {
        queue.messages.delete(m.id);
        return m;
      }
      if (m.staleReceipts.has(receiptHandle)) return undefined;
    }
    throw sqsError('ReceiptHandleIsInvalid', `${receiptHandle} is not a receipt handle of ${url}`);
  }

  /** One entry of ChangeMessageVisibility(Batch): only the latest handle of a message in flight. */
  public changeVisibility(url: string, receiptHandle: string, seconds: number): { ok: true } | { ok: false; code: string } {
    const queue = this.queue(url);
    const now = this.clock.now();
    if (this.random() < (this.behaviour.visibilityChangeFailChance ?? 0)) return { ok: false, code: 'InternalError' };
    for (const m of queue.messages.values()) {
      if (m.receipt === receiptHandle) {
        if (m.visibleAt <= now) return { ok: false, code: 'MessageNotInflight' };
        m.visibleAt = now + seconds * 1000;
        return { ok: true };
      }
      if (m.staleReceipts.has(receiptHandle)) return { ok: false, code: 'ReceiptHandleIsInvalid' };
    }
    return { ok: false, code: 'ReceiptHandleIsInvalid' };
  }

  public attributes(url: string): Record<string, string> {
    const queue = this.queue(url);
    const now = this.tick();
    const inFlight = this.inFlight(queue, now);
    const attributes: Record<string, string> = {
      ApproximateNumberOfMessages: String(queue.messages.size - inFlight),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
    };
    if (queue.options.redrive) {
      attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: arnOfQueueUrl(queue.options.redrive.targetUrl), maxReceiveCount: queue.options.redrive.maxReceiveCount });
    }
    return attributes;
  }
}

function arnOfQueueUrl(url: string): string {
  const [, region, account, name] = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/(\d{12})\/(.+)$/.exec(url)!;
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
