import { DlqQueue } from './dlq-queue';

export interface PurgeOptions {
  readonly tenant: string;
  readonly dryRun: boolean;
  readonly max: number;
}

export interface PurgeReport {
  readonly deleted: string[];
  readonly wouldDelete: string[];
  /** Messages of the tenant kept because they must be quarantined (evidence), with the reason. */
  readonly keptSuspicious: Array<{ messageId: string; reason: string }>;
  readonly failed: Array<{ messageId: string; reason: string }>;
}

/**
 * Deletes the messages whose envelope account is `tenant`, and only those. A message the
 * redrive would quarantine (the payload names another account) is kept: it is evidence, and
 * whose message it is, is exactly what is in doubt.
 */
export async function purge(options: PurgeOptions, queue: DlqQueue): Promise<PurgeReport> {
  const report: PurgeReport = { deleted: [], wouldDelete: [], keptSuspicious: [], failed: [] };
  try {
    for await (const message of queue.scan()) {
      if (message.tenant !== options.tenant) continue;
      if (message.quarantine) {
        report.keptSuspicious.push({ messageId: message.messageId, reason: message.quarantine.reason });
        continue;
      }
      if (report.deleted.length + report.wouldDelete.length + report.failed.length >= options.max) break;
      if (options.dryRun) {
        report.wouldDelete.push(message.messageId);
        continue;
      }
      try {
        await queue.delete(message);
        report.deleted.push(message.messageId);
      } catch (error) {
        report.failed.push({ messageId: message.messageId, reason: (error as Error).message });
      }
    }
  } finally {
    await queue.releaseAll();
  }
  return report;
}
