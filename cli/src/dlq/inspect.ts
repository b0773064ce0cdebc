import { DlqQueue } from './dlq-queue';
import { FailureKind, FailureMessage } from './failure-message';

/** Messages of one tenant (or of no tenant: `tenant` undefined). */
export interface TenantSummary {
  readonly tenant?: string;
  readonly messages: number;
  readonly byKind: Record<FailureKind, number>;
  /** Messages a redrive would quarantine. */
  readonly suspicious: number;
  /** Oldest SentTimestamp (ms), if SQS gave it. */
  readonly oldest?: number;
}

export interface ListResult {
  readonly tenants: TenantSummary[];
  readonly messages: FailureMessage[];
  /** True when the scan stopped at `max` before the queue was exhausted. */
  readonly truncated: boolean;
}

/** Reads up to `max` messages, grouped by envelope account. Changes nothing (they are released at the end). */
export async function listMessages(queue: DlqQueue, options: { tenant?: string; max: number }): Promise<ListResult> {
  const messages: FailureMessage[] = [];
  let truncated = false;
  try {
    for await (const message of queue.scan()) {
      if (options.tenant !== undefined && message.tenant !== options.tenant) continue;
      if (messages.length >= options.max) {
        truncated = true;
        break;
      }
      messages.push(message);
    }
  } finally {
    await queue.releaseAll();
  }
  const groups = new Map<string, FailureMessage[]>();
  for (const m of messages) {
    const key = m.tenant ?? '';
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const tenants = [...groups.entries()]
    .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
    .map(([tenant, group]): TenantSummary => ({
      tenant: tenant === '' ? undefined : tenant,
      messages: group.length,
      byKind: {
        'lambda-failure': group.filter((m) => m.kind === 'lambda-failure').length,
        'workflow-failed': group.filter((m) => m.kind === 'workflow-failed').length,
        'rule-dead-letter': group.filter((m) => m.kind === 'rule-dead-letter').length,
        'other': group.filter((m) => m.kind === 'other').length,
      },
      suspicious: group.filter((m) => m.quarantine).length,
      oldest: group.reduce<number | undefined>((min, m) => (m.sentAt !== undefined && (min === undefined || m.sentAt < min) ? m.sentAt : min), undefined),
    }));
  return { tenants, messages, truncated };
}

/** Finds one message by id. Changes nothing. */
export async function findMessage(queue: DlqQueue, messageId: string): Promise<FailureMessage | undefined> {
  try {
    for await (const message of queue.scan()) {
      if (message.messageId === messageId) return message;
    }
    return undefined;
  } finally {
    await queue.releaseAll();
  }
}
